using System.Globalization;
using Dendrite.Saving;
using Dendrite.Saving.Hdf5;

namespace Dendrite.Tests.Saving;

/// <summary>The small h5py-written HDF5 files embedded in the test assembly (Saving/Hdf5Fixtures/make_fixtures.py), and
/// helpers to read bytes as an <see cref="HdfGroup"/> and print a tree for comparisons.</summary>
internal static class Hdf5Fixtures
{
    public static readonly string[] Names = ["v0-basic", "v2-basic", "v3-basic", "v0-chunked", "v2-chunked", "v3-chunked", "dense", "zeros"];

    public static byte[] Bytes(string name)
    {
        using var s = typeof(Hdf5Fixtures).Assembly.GetManifestResourceStream($"Hdf5Fixtures.{name}.h5")
            ?? throw new InvalidOperationException($"no embedded fixture {name}.h5");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    public static HdfGroup Read(byte[] bytes, string fileName = "fixture.h5")
    {
        using var ms = new MemoryStream(bytes, writable: false);
        return new PureHdfCodec().Read(ms, fileName);
    }

    /// <summary>Every group, attribute and dataset, one line each, sorted (for equality of trees).</summary>
    public static string Describe(HdfGroup g)
    {
        var lines = new List<string>();
        Walk(g, "/", lines);
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    private static void Walk(HdfGroup g, string path, List<string> lines)
    {
        foreach (var (k, v) in g.Attributes) lines.Add($"{path}@{k}={Value(v)}");
        foreach (var (k, d) in g.Datasets)
            lines.Add($"{path}{k} {d} " + (d.Floats is not null ? string.Join(",", d.Floats.Select(f => f.ToString("R", CultureInfo.InvariantCulture)))
                : "i" + string.Join(",", d.Longs!)));
        foreach (var (k, sub) in g.Groups) { lines.Add(path + k + "/"); Walk(sub, path + k + "/", lines); }
    }

    private static string Value(object v) => v switch
    {
        string s => '"' + s + '"',
        string[] a => "[" + string.Join(",", a.Select(s => '"' + s + '"')) + "]",
        double[] d => "d[" + string.Join(",", d.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]",
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => v.GetType().Name,
    };

    /// <summary>The offset of the superblock's end-of-file address (versions 0, 1 and 2/3).</summary>
    public static int EndOfFileOffset(byte[] file) => file[8] switch { 0 => 40, 1 => 44, _ => 28 };

}
