using System.IO.Compression;
using Dendrite.Data;

namespace Dendrite.Tests.Data;

public sealed class FormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-formats-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    public static TheoryData<string> Dtypes() => ["uint8", "int8", "int16", "int32", "int64", "float32", "float64", "bool", "uint16"];

    private static NDArray Sample(string dtype)
    {
        int[] shape = [2, 3, 4];
        var v = Enumerable.Range(0, 24).ToArray();
        Array data = dtype switch
        {
            "uint8" => v.Select(i => (byte)(i * 10)).ToArray(), "int8" => v.Select(i => (sbyte)(i - 12)).ToArray(),
            "int16" => v.Select(i => (short)(i * -300)).ToArray(), "int32" => v.Select(i => i * 100000).ToArray(),
            "int64" => v.Select(i => (long)i << 40).ToArray(), "float32" => v.Select(i => i * 0.5f - 3f).ToArray(),
            "float64" => v.Select(i => i / 3.0).ToArray(), "bool" => v.Select(i => i % 3 == 0).ToArray(),
            _ => v.Select(i => (ushort)(i * 1000)).ToArray(),
        };
        return new NDArray(data, shape);
    }

    [Theory, MemberData(nameof(Dtypes))]
    public void Npy_round_trips_every_dtype(string dtype)
    {
        var a = Sample(dtype);
        Npy.Write(P("a.npy"), a);
        var b = Npy.Read(P("a.npy"));
        Assert.Equal(dtype, b.DType);
        Assert.Equal(a.Shape, b.Shape);
        Assert.Equal(a.Data, b.Data);
        // The header is padded so that the data starts on a 64-byte boundary, as NumPy writes it.
        Assert.Equal(0, (new FileInfo(P("a.npy")).Length - Buffer.ByteLength(a.Data)) % 64);
        // Integer and boolean arrays become tensors Fit does not scan for NaN; floating-point ones are scanned.
        Assert.Equal(dtype is not ("float32" or "float64"), b.ToTensor().KnownFinite);
    }

    [Fact]
    public void Npy_reads_a_hand_built_numpy_file_including_big_endian()
    {
        // numpy.save of np.array([[1, 2], [3, 4]], dtype='>i4'): the header as NumPy 1.24 writes it.
        string header = "{'descr': '>i4', 'fortran_order': False, 'shape': (2, 2), }";
        header += new string(' ', 128 - 10 - header.Length - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 };
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
        foreach (int v in new[] { 1, 2, 3, 4 }) bytes.AddRange(new[] { (byte)0, (byte)0, (byte)0, (byte)v });
        File.WriteAllBytes(P("be.npy"), bytes.ToArray());
        var a = Npy.Read(P("be.npy"));
        Assert.Equal(new[] { 2, 2 }, a.Shape);
        Assert.Equal(new[] { 1, 2, 3, 4 }, (int[])a.Data);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, a.ToTensor().ToArray());
        Assert.True(a.ToTensor().KnownFinite);   // integers: Fit does not scan them
    }

    [Fact]
    public void Npy_truncated_or_corrupt_files_give_clear_errors()
    {
        Npy.Write(P("t.npy"), Sample("float32"));
        var full = File.ReadAllBytes(P("t.npy"));
        File.WriteAllBytes(P("short.npy"), full[..^10]);
        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(P("short.npy")));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("short.npy", e.Message);
        File.WriteAllBytes(P("junk.npy"), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => Npy.Read(P("junk.npy"))).Message);
    }

    [Fact]
    public void Npz_round_trips_like_keras_mnist_npz()
    {
        var arrays = new Dictionary<string, NDArray> { ["x_train"] = Sample("uint8"), ["y_train"] = new NDArray(new byte[] { 1, 2 }, [2]) };
        Npz.Write(P("m.npz"), arrays);
        var back = Npz.Read(P("m.npz"));
        Assert.Equal(arrays.Keys.Order(), back.Keys.Order());
        Assert.Equal(arrays["x_train"].Data, back["x_train"].Data);
        Npz.Write(P("s.npz"), arrays, compressed: false);
        Assert.Equal(arrays["y_train"].Data, Npz.Read(P("s.npz"))["y_train"].Data);
        File.WriteAllBytes(P("bad.npz"), File.ReadAllBytes(P("m.npz"))[..40]);
        Assert.Throws<InvalidDataException>(() => Npz.Read(P("bad.npz")));
    }

    [Theory]
    [InlineData("uint8", "x.idx"), InlineData("uint8", "x.idx.gz"), InlineData("int32", "i.idx"), InlineData("float32", "f.idx.gz"), InlineData("int16", "s.idx"), InlineData("float64", "d.idx")]
    public void Idx_round_trips_plain_and_gzipped(string dtype, string name)
    {
        var a = Sample(dtype);
        Idx.Write(P(name), a);
        var b = Idx.Read(P(name));
        Assert.Equal(a.Shape, b.Shape);
        Assert.Equal(a.Data, b.Data);
        if (name.EndsWith(".gz")) Assert.Equal(0x1f, File.ReadAllBytes(P(name))[0]);
    }

    [Fact]
    public void Idx_reads_the_mnist_header_by_hand_and_refuses_truncation()
    {
        // MNIST label file: magic 0x00000801, count 3, then the labels.
        File.WriteAllBytes(P("labels.idx"), [0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]);
        var a = Idx.Read(P("labels.idx"));
        Assert.Equal(new[] { 3 }, a.Shape);
        Assert.Equal(new byte[] { 7, 2, 1 }, (byte[])a.Data);
        File.WriteAllBytes(P("cut.idx"), [0, 0, 8, 1, 0, 0, 0, 3, 7]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Idx.Read(P("cut.idx"))).Message);
        File.WriteAllBytes(P("nope.idx"), [1, 2, 3, 4]);
        Assert.Throws<InvalidDataException>(() => Idx.Read(P("nope.idx")));
    }

    [Fact]
    public void Cifar_binary_round_trips_and_is_channels_last()
    {
        var img = new byte[2 * 32 * 32 * 3];
        for (int i = 0; i < img.Length; i++) img[i] = (byte)(i * 7 % 251);
        var images = new NDArray(img, [2, 32, 32, 3]);
        var labels = new NDArray(new byte[] { 3, 9 }, [2, 1]);
        Cifar10Binary.Write(P("b.bin"), images, labels);
        var raw = File.ReadAllBytes(P("b.bin"));
        Assert.Equal(2 * 3073, raw.Length);
        Assert.Equal(3, raw[0]);
        Assert.Equal(img[1], raw[1 + 1024]);   // green plane, first pixel = channel 1 of pixel 0
        var (x, y) = Cifar10Binary.Read(P("b.bin"));
        Assert.Equal(img, (byte[])x.Data);
        Assert.Equal(new byte[] { 3, 9 }, (byte[])y.Data);
        File.WriteAllBytes(P("cut.bin"), raw[..5000]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Cifar10Binary.Read(P("cut.bin"))).Message);
    }

    [Fact]
    public void Atomic_write_keeps_the_old_file_when_writing_fails()
    {
        File.WriteAllText(P("keep.npy"), "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(P("keep.npy"), s => { s.WriteByte(1); throw new InvalidOperationException("boom"); }));
        Assert.Equal("old", File.ReadAllText(P("keep.npy")));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Csv_reads_headers_missing_values_quotes_and_categories()
    {
        var text = "age, job, city, income\n39, State-gov, \"Paris, FR\", <=50K\n50, ?, Rome, >50K\n\n28, Private, Paris, >50K\n";
        var t = CsvTable.Read(new StringReader(text));
        Assert.Equal(new[] { "age", "job", "city", "income" }, t.Columns);
        Assert.Equal(3, t.RowCount);
        Assert.Equal("Paris, FR", t.Row(0)[2]);
        Assert.Equal(2, t.DropMissing().RowCount);
        var x = t.ToTensor(["age"], ["job"]);
        // age, then one-hot of {?, Private, State-gov} sorted
        Assert.Equal(new Shape(3, 4), x.Shape);
        Assert.Equal(new[] { 39f, 0f, 0f, 1f, 50f, 1f, 0f, 0f, 28f, 0f, 1f, 0f }, x.ToArray());
        Assert.True(float.IsNaN(CsvTable.Read(new StringReader("a\n?\n")).Numbers("a")[0]));
        Assert.Throws<InvalidDataException>(() => CsvTable.Read(new StringReader("a,b\n1,2,3\n")));
        Assert.Throws<ArgumentException>(() => t.Strings("nope"));
    }
}
