namespace Dendrite.Data;

/// <summary>
/// The CIFAR-10 binary format: records of 1 label byte and 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each a
/// 32x32 row-major plane). Images come back channels-last, (n, 32, 32, 3), as Keras loads them.
/// </summary>
public static class Cifar10Binary
{
    /// <summary>Bytes per record.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>
    /// Reads every record: images (n, 32, 32, 3) uint8 and labels (n, 1) uint8. An empty, truncated or corrupt batch
    /// (a label outside 0..9) throws <see cref="InvalidDataException"/> naming <paramref name="name"/>.
    /// </summary>
    public static (NDArray Images, NDArray Labels) Read(Stream stream, string name = "CIFAR-10 batch")
    {
        ArgumentNullException.ThrowIfNull(stream);
        long? declared = BoundedRead.Remaining(stream);
        // The largest batch whose images still fit one array; real batches hold 10,000 records (30 MB).
        const long maxRecords = int.MaxValue / 3072;
        if (declared > maxRecords * RecordSize)
            throw new NotSupportedException($"{name} holds {declared} bytes; batches over {maxRecords} records are not supported.");
        var bytes = ReadAll(stream, maxRecords * RecordSize, name);
        if (bytes.Length == 0) throw new InvalidDataException($"{name} is empty: a CIFAR-10 batch holds at least one {RecordSize}-byte record.");
        if (bytes.Length % RecordSize != 0)
            throw new InvalidDataException($"{name} is truncated or corrupt: {bytes.Length} bytes is not a whole number of {RecordSize}-byte records.");
        int n = bytes.Length / RecordSize;
        for (int r = 0; r < n; r++)
            if (bytes[r * RecordSize] > 9) throw new InvalidDataException($"{name}: record {r} has label {bytes[r * RecordSize]}, outside 0..9.");
        var images = new byte[n * 3072];
        var labels = new byte[n];
        for (int r = 0; r < n; r++)
        {
            int src = r * RecordSize;
            labels[r] = bytes[src];
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 1024; p++)
                    images[r * 3072 + p * 3 + c] = bytes[src + 1 + c * 1024 + p];
        }
        return (new NDArray(images, [n, 32, 32, 3]), new NDArray(labels, [n, 1]));
    }

    /// <summary>Reads a batch file.</summary>
    public static (NDArray Images, NDArray Labels) Read(string path)
    {
        using var f = File.OpenRead(path);
        return Read(f, path);
    }

    private static byte[] ReadAll(Stream stream, long max, string name)
    {
        if (BoundedRead.Remaining(stream) is long left) return BoundedRead.Exactly(stream, left, name);
        using var ms = new MemoryStream();
        var chunk = new byte[81920];
        int r;
        while ((r = stream.Read(chunk)) > 0)
        {
            if (ms.Length + r > max) throw new NotSupportedException($"{name}: batches over {max / RecordSize} records are not supported.");
            ms.Write(chunk, 0, r);
        }
        return ms.ToArray();
    }

    /// <summary>Writes images (n, 32, 32, 3) uint8 and labels (n) or (n, 1) as a batch file, atomically.</summary>
    public static void Write(string path, NDArray images, NDArray labels) => AtomicFile.Write(path, s =>
    {
        if (images.DType != "uint8" || images.Shape.Length != 4 || !images.Shape[1..].SequenceEqual(new[] { 32, 32, 3 }))
            throw new ArgumentException($"CIFAR-10 images must be uint8 (n, 32, 32, 3), got {images}.");
        if (labels.DType != "uint8") throw new ArgumentException($"CIFAR-10 labels must be uint8, got {labels}.");
        var img = (byte[])images.Data;
        var lab = (byte[])labels.Data;
        int n = images.Shape[0];
        if (lab.Length != n) throw new ArgumentException($"{n} images but {lab.Length} labels.");
        var rec = new byte[RecordSize];
        for (int r = 0; r < n; r++)
        {
            rec[0] = lab[r];
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 1024; p++) rec[1 + c * 1024 + p] = img[r * 3072 + p * 3 + c];
            s.Write(rec);
        }
    });
}
