using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving;

namespace Dendrite.Tests.Data;

/// <summary>
/// Hostile files that used to crash the readers or make them allocate gigabytes (issue 21): each must now be refused
/// with an <see cref="InvalidDataException"/> that names the file and what is wrong, allocating next to nothing.
/// </summary>
public sealed class ReaderRegressionTests : IDisposable
{
    private const long Small = 1 << 20;
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The exception <paramref name="read"/> throws, after checking that it allocated under 1 MB.</summary>
    private static T Refused<T>(Action read) where T : Exception
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<T>(read);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < Small, $"allocated {allocated:N0} bytes to refuse the file");
        return e;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    private static byte[] NpyWithHeader(string dict, int major = 1, uint? declaredLength = null)
    {
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        var header = Encoding.ASCII.GetBytes(dict + "\n");
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)(declaredLength ?? (uint)header.Length)));
        else bytes.AddRange(BitConverter.GetBytes(declaredLength ?? (uint)header.Length));
        bytes.AddRange(header);
        return bytes.ToArray();
    }

    [Fact]
    public void A_12_byte_idx_declaring_1_6_GB_is_refused_before_allocating()
    {
        // float32, rank 1, 0x18000000 values (1.6 GB), then 4 bytes of data.
        byte[] idx = [0, 0, 0x0D, 1, 0x18, 0, 0, 0, 1, 2, 3, 4];
        var e = Refused<InvalidDataException>(() => Idx.Read(Write("huge.idx", idx)));
        Assert.Contains("huge.idx", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("1610612736", e.Message);
        // Gzipped, the length is unknown until the end: the buffer grows only with the bytes that really arrive.
        var gz = Refused<InvalidDataException>(() => Idx.Read(Write("huge.idx.gz", Gzip(idx))));
        Assert.Contains("huge.idx.gz", gz.Message);
        Assert.Contains("truncated", gz.Message);
    }

    [Fact]
    public void Idx_dimensions_that_overflow_are_refused_not_wrapped_to_zero()
    {
        // rank 4, each dimension 65536: 2^64 values, which a 64-bit product wraps to 0.
        byte[] wraps = [0, 0, 8, 4, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0];
        var e = Refused<InvalidDataException>(() => Idx.Read(Write("wraps.idx", wraps)));
        Assert.Contains("wraps.idx", e.Message);
        Assert.Contains("(65536, 65536, 65536, 65536)", e.Message);
        // A dimension over int.MaxValue used to be an OverflowException.
        byte[] big = [0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.Contains("4294967295", Refused<InvalidDataException>(() => Idx.Read(Write("big.idx", big))).Message);
        // A zero dimension is an honest empty array, and it round-trips.
        Idx.Write(Path.Combine(_dir, "empty.idx"), new NDArray(Array.Empty<byte>(), [0, 28]));
        Assert.Equal(new[] { 0, 28 }, Idx.Read(Path.Combine(_dir, "empty.idx")).Shape);
    }

    [Fact]
    public void Corrupt_gzip_says_so_instead_of_unsupported_compression_method()
    {
        var gz = Gzip([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]);
        for (int i = 10; i < gz.Length - 8; i++) gz[i] = 0xFF;   // the deflate body (reserved block type 11)
        var e = Refused<InvalidDataException>(() => Idx.Read(Write("bad.idx.gz", gz)));
        Assert.Contains("bad.idx.gz", e.Message);
        Assert.Contains("not valid gzip", e.Message);
        Assert.DoesNotContain("unsupported compression method", e.Message);
    }

    [Fact]
    public void A_140_byte_npy_declaring_762_MB_is_refused_before_allocating()
    {
        var npy = NpyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (190500000,), }").Concat(new byte[64]).ToArray();
        Assert.InRange(npy.Length, 120, 160);
        var e = Refused<InvalidDataException>(() => Npy.Read(Write("huge.npy", npy)));
        Assert.Contains("huge.npy", e.Message);
        Assert.Contains("truncated", e.Message);
        // The same array inside an .npz (a stream of unknown length).
        string npz = Path.Combine(_dir, "huge.npz");
        using (var zip = ZipFile.Open(npz, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("x.npy").Open()) s.Write(npy);
        var z = Refused<InvalidDataException>(() => Npz.Read(npz));
        Assert.Contains("huge.npz", z.Message);
        Assert.Contains("'x.npy'", z.Message);
        Assert.Contains("truncated", z.Message);
    }

    [Theory]
    [InlineData("{'descr': '', 'fortran_order': False, 'shape': (2,), }", "empty dtype")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", "Malformed .npy shape")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }", "more than")]
    public void Npy_headers_that_used_to_crash_are_refused(string dict, string expected)
    {
        var e = Refused<InvalidDataException>(() => Npy.Read(Write("bad.npy", NpyWithHeader(dict))));
        Assert.Contains("bad.npy", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Object_arrays_need_allow_pickle_and_their_missing_pickle_is_invalid_data()
    {
        var npy = NpyWithHeader("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }");
        var e = Refused<NotSupportedException>(() => Npy.Read(Write("obj.npy", npy)));
        Assert.Contains("obj.npy", e.Message);
        Assert.Contains("allowPickle", e.Message);
        Assert.Contains("obj.npy", Refused<InvalidDataException>(() => Npy.Read(Write("obj.npy", npy), allowPickle: true)).Message);
    }

    [Fact]
    public void Fortran_order_is_an_unsupported_feature_naming_the_file()
    {
        var npy = NpyWithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }").Concat(new byte[8]).ToArray();
        var e = Refused<NotSupportedException>(() => Npy.Read(Write("fortran.npy", npy)));
        Assert.Contains("fortran.npy", e.Message);
        Assert.Contains("Fortran", e.Message);
    }

    [Fact]
    public void Npy_v2_header_length_over_int_max_is_refused()
    {
        var npy = NpyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", major: 2, declaredLength: 0xFFFFFFF0);
        var e = Refused<InvalidDataException>(() => Npy.Read(Write("longheader.npy", npy)));
        Assert.Contains("longheader.npy", e.Message);
        Assert.Contains("4294967280", e.Message);
    }

    [Fact]
    public void Npz_with_corrupt_deflate_data_names_the_entry()
    {
        string path = Path.Combine(_dir, "c.npz");
        Npz.Write(path, new Dictionary<string, NDArray> { ["x"] = new(Enumerable.Range(0, 4000).Select(i => (float)i).ToArray(), [4000]) });
        var bytes = File.ReadAllBytes(path);
        int data = 30 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(26)) + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(28));
        for (int i = data; i < data + 40; i++) bytes[i] = 0xFF;
        var e = Refused<InvalidDataException>(() => Npz.Read(Write("c.npz", bytes)));
        Assert.Contains("c.npz", e.Message);
        Assert.Contains("'x.npy'", e.Message);
        Assert.Contains("not valid deflate", e.Message);
    }

    [Fact]
    public void Npy_reads_straight_into_the_array_without_a_second_copy()
    {
        var values = Enumerable.Range(0, 2 << 20).Select(i => i * 0.5f).ToArray();   // 8 MB
        string path = Path.Combine(_dir, "big.npy");
        Npy.Write(path, new NDArray(values, [2048, 1024]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var back = Npy.Read(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(values, (float[])back.Data);
        Assert.InRange(allocated, 8L << 20, (8L << 20) + (1 << 20));   // the array itself, plus under 1 MB
    }

    [Fact]
    public void Big_endian_arrays_inside_an_npz_read_right()
    {
        string header = "{'descr': '>i8', 'fortran_order': False, 'shape': (3,), }";
        var npy = NpyWithHeader(header).Concat(new long[] { 1, -2, 1L << 40 }.SelectMany(v =>
        {
            var b = BitConverter.GetBytes(v);
            Array.Reverse(b);
            return b;
        })).ToArray();
        string path = Path.Combine(_dir, "be.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("v.npy").Open()) s.Write(npy);
        Assert.Equal(new long[] { 1, -2, 1L << 40 }, (long[])Npz.Read(path)["v"].Data);
        Assert.Equal(new long[] { 1, -2, 1L << 40 }, (long[])Npy.Read(Write("be.npy", npy)).Data);
    }

    [Fact]
    public void An_empty_cifar_batch_is_refused()
    {
        var e = Refused<InvalidDataException>(() => Cifar10Binary.Read(Write("empty.bin", [])));
        Assert.Contains("empty.bin", e.Message);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void A_weights_file_with_a_valid_checksum_and_a_bad_body_is_refused_and_the_model_unchanged()
    {
        var model = new Sequential([new Input(shape: [3]), new Dense(2, name: "d")]);
        string good = Path.Combine(_dir, "good.dnw");
        WeightsFile.Save(good, model);
        var before = model.GetWeights().Select(w => w.ToArray()).ToList();
        var body = File.ReadAllBytes(good)[..^4];

        // The body cut inside the first weight's values, with a checksum that matches the cut body.
        var e = Refused<InvalidDataException>(() => WeightsFile.Load(Write("cut.dnw", WithCrc(body[..40])), model));
        Assert.Contains("cut.dnw", e.Message);
        Assert.Contains("needs", e.Message);
        // A name length of 65535 with few bytes left.
        var longName = (byte[])body.Clone();
        longName[12] = 0xFF;
        longName[13] = 0xFF;
        Assert.Contains("name", Refused<InvalidDataException>(() => WeightsFile.Load(Write("name.dnw", WithCrc(longName)), model)).Message);
        // A count of 2^32 - 1 used to be cast to -1.
        var count = (byte[])body.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(count.AsSpan(8), uint.MaxValue);
        Assert.Contains("4294967295", Refused<InvalidDataException>(() => WeightsFile.Load(Write("count.dnw", WithCrc(count)), model)).Message);
        // Bytes after the last weight.
        var extra = body.Concat(new byte[] { 1, 2, 3 }).ToArray();
        Assert.Contains("3 unexpected bytes", Refused<InvalidDataException>(() => WeightsFile.Load(Write("extra.dnw", WithCrc(extra)), model)).Message);
        Assert.Equal(before, model.GetWeights().Select(w => w.ToArray()).ToList());
    }

    private static byte[] WithCrc(byte[] body)
    {
        var file = new byte[body.Length + 4];
        body.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(body.Length), Crc32.HashToUInt32(body));
        return file;
    }
}
