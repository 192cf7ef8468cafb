using System.IO.Compression;
using System.Text;
using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Data;

/// <summary>Every file reader of the library as a <see cref="FuzzTarget"/>, with small valid seed files.</summary>
internal static class FuzzTargets
{
    public static readonly string[] Names =
        ["npy", "npy-pickle", "npz", "npz-entry", "idx", "idx.gz", "idx-in-gzip", "cifar10", "csv", "weights", .. KerasFuzzTargets.Names];

    public static FuzzTarget Get(string name) => name switch
    {
        "npy" => new(name, NpySeeds(), NpyTokens(), p => Npy.Read(p)),
        "npy-pickle" => new(name, [Convert.FromBase64String(NpyPickleTests.Python2Array), Convert.FromBase64String(NpyPickleTests.Protocol5Array)],
            [.. MutationFuzzer.Ascii("(", "e", "a", "]", "t", "R", "b", ".", "h\u0000", "cnumpy\ndtype\n", "cos\nsystem\n"), [0x80, 2], [0x4a, 0xff, 0xff, 0xff, 0x7f]],
            p => Npy.Read(p, allowPickle: true)),
        "npz" => new(name, NpzSeeds(), NpyTokens(), p => Npz.Read(p)),
        "npz-entry" => new(name, NpySeeds(), NpyTokens(), p => Npz.Read(p), (b, i) => Zip(b, i % 2 == 0)),
        "idx" => new(name, IdxSeeds(), IdxTokens(), p => Idx.Read(p)),
        "idx.gz" => new(name, IdxSeeds().Select(b => Gzip(b, 0)).ToArray(), IdxTokens(), p => Idx.Read(p)),
        "idx-in-gzip" => new(name, IdxSeeds(), IdxTokens(), p => Idx.Read(p), Gzip),
        "cifar10" => new(name, [CifarSeed(1), CifarSeed(2)], [[10], [255], new byte[3073]], p => Cifar10Binary.Read(p)),
        "csv" => new(name, CsvSeeds(), MutationFuzzer.Ascii(",", "\"", "\n", "\r\n", "?", "1e999", "NaN", "\"\"", ",,,,"),
            p => CsvTable.Read(p)),
        "weights" => WeightsTarget(),
        _ when KerasFuzzTargets.All.Contains(name) => KerasFuzzTargets.Get(name),
        _ => throw new ArgumentException($"No fuzz target '{name}'.", nameof(name)),
    };

    private static byte[] ToBytes(Action<Stream> write)
    {
        using var ms = new MemoryStream();
        write(ms);
        return ms.ToArray();
    }

    private static byte[][] NpySeeds()
    {
        var seeds = new List<byte[]>
        {
            ToBytes(s => Npy.Write(s, new NDArray(Enumerable.Range(0, 24).Select(i => i * 0.5f).ToArray(), [2, 3, 4]))),
            ToBytes(s => Npy.Write(s, new NDArray(new byte[] { 1, 2, 3, 4, 5 }, [5]))),
            ToBytes(s => Npy.Write(s, new NDArray(new long[] { 42 }, []))),
            ToBytes(s => Npy.Write(s, new NDArray(new[] { true, false, true }, [3, 1]))),
            ToBytes(s => Npy.Write(s, new NDArray(new double[] { 1, 2, 3, 4 }, [2, 2]))),
        };
        // Version 2.0 (uint32 header length), big-endian int32.
        string header = "{'descr': '>i4', 'fortran_order': False, 'shape': (2, 2), }";
        header += new string(' ', 64 - (12 + header.Length + 1) % 64) + "\n";
        var v2 = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0 };
        v2.AddRange(BitConverter.GetBytes((uint)header.Length));
        v2.AddRange(Encoding.ASCII.GetBytes(header));
        foreach (int v in new[] { 1, 2, 3, 4 }) v2.AddRange(new byte[] { 0, 0, 0, (byte)v });
        seeds.Add(v2.ToArray());
        return seeds.ToArray();
    }

    private static byte[][] NpyTokens() => MutationFuzzer.Ascii("'descr'", "'shape'", "'fortran_order'", "(4294967296, 4294967296)",
        "(2147483647, 2147483647, 2147483647)", "(65536, 65536, 65536, 65536)", "(0,)", "()", "-1", "''", "'<f8'", "'|O'", "True",
        ":", ",", ")", "(", "99999999999999999999", "}", "'>u8'", "(1,)");

    private static byte[][] NpzSeeds()
    {
        var arrays = new Dictionary<string, NDArray>
        {
            ["x"] = new(Enumerable.Range(0, 24).Select(i => (byte)i).ToArray(), [2, 3, 4]),
            ["y"] = new(new float[] { 1, 2, 3 }, [3]),
        };
        string dir = Directory.CreateTempSubdirectory("dendrite-fuzz-seed-").FullName;
        try
        {
            Npz.Write(Path.Combine(dir, "c.npz"), arrays);
            Npz.Write(Path.Combine(dir, "s.npz"), arrays, compressed: false);
            return [File.ReadAllBytes(Path.Combine(dir, "c.npz")), File.ReadAllBytes(Path.Combine(dir, "s.npz"))];
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static byte[][] IdxSeeds() =>
    [
        [0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1],
        ToBytes(s => Idx.Write(s, new NDArray(Enumerable.Range(0, 24).Select(i => i * 0.25f).ToArray(), [2, 3, 4]))),
        ToBytes(s => Idx.Write(s, new NDArray(new short[] { -1, 2, -3, 4 }, [2, 2]))),
        ToBytes(s => Idx.Write(s, new NDArray(new double[] { 1, 2 }, [2]))),
        ToBytes(s => Idx.Write(s, new NDArray(Enumerable.Range(0, 2 * 4 * 4).Select(i => (byte)i).ToArray(), [2, 4, 4]))),
    ];

    private static byte[][] IdxTokens() => [[0, 0, 8, 3], [0, 0, 0x0D, 4], [0xFF, 0xFF, 0xFF, 0xFF], [0, 1, 0, 0], [0x1f, 0x8b]];

    private static byte[] CifarSeed(int records)
    {
        var b = new byte[records * Cifar10Binary.RecordSize];
        for (int i = 0; i < b.Length; i++) b[i] = (byte)(i * 7 % 251);
        for (int r = 0; r < records; r++) b[r * Cifar10Binary.RecordSize] = (byte)(r + 3);
        return b;
    }

    private static byte[][] CsvSeeds() => MutationFuzzer.Ascii(
        "age, job, city, income\n39, State-gov, \"Paris, FR\", <=50K\n50, ?, Rome, >50K\n\n28, Private, Paris, >50K\n",
        "a,b\n1,2\n3,4\n5,6\n",
        "x;y\n\"q\"\"uoted\";2\n");

    private static byte[] Zip(byte[] npy, bool deflate) => ToBytes(s =>
    {
        using var zip = new ZipArchive(s, ZipArchiveMode.Create, leaveOpen: true);
        using var e = zip.CreateEntry("x.npy", deflate ? CompressionLevel.Fastest : CompressionLevel.NoCompression).Open();
        e.Write(npy);
    });

    private static byte[] Gzip(byte[] data, int _) => ToBytes(s =>
    {
        using var gz = new GZipStream(s, CompressionLevel.Fastest, leaveOpen: true);
        gz.Write(data);
    });

    private static FuzzTarget WeightsTarget()
    {
        var model = new Sequential([new Input(shape: [3]), new Dense(4, name: "d1"), new Dense(2, name: "d2")]);
        string dir = Directory.CreateTempSubdirectory("dendrite-fuzz-seed-").FullName;
        byte[] seed;
        try
        {
            WeightsFile.Save(Path.Combine(dir, "w.dnw"), model);
            seed = File.ReadAllBytes(Path.Combine(dir, "w.dnw"));
        }
        finally { Directory.Delete(dir, recursive: true); }
        // Half the cases get a valid checksum again, so that the mutated body reaches the parser.
        return new("weights", [seed], [[0xFF, 0xFF], [0, 0], [2], [0xFF]], p => WeightsFile.Load(p, model),
            (b, i) => i % 2 == 0 ? FixCrc(b) : b);
    }

    private static byte[] FixCrc(byte[] b)
    {
        if (b.Length < 8) return b;
        var fixedUp = (byte[])b.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(fixedUp.AsSpan(b.Length - 4), Crc32.HashToUInt32(b.AsSpan(0, b.Length - 4)));
        return fixedUp;
    }
}
