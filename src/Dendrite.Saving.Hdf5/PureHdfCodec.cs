using PureHDF;
using Dendrite.Saving;

namespace Dendrite.Saving.Hdf5;

/// <summary>Reads and writes <see cref="HdfGroup"/> trees with PureHDF. Every dataset's size is checked against the file's
/// length before it is read, and any failure inside PureHDF becomes an <see cref="InvalidDataException"/> naming the file.</summary>
public sealed class PureHdfCodec : IHdf5Codec
{
    /// <inheritdoc/>
    public HdfGroup Read(Stream stream, string fileName)
    {
        if (DeclaredLength(stream) is long declared && declared > stream.Length)
            throw new InvalidDataException($"{fileName} is truncated: its HDF5 superblock says the file is {declared} bytes long, but it has {stream.Length}.");
        try
        {
            using var file = H5File.Open(stream, leaveOpen: true);
            return ReadGroup(file, stream.Length, "/");
        }
        catch (InvalidDataException e) { throw new InvalidDataException($"{fileName}: {e.Message}", e); }
        catch (Exception e)                                 // PureHDF's own errors (and an allocation it sized from damaged bytes)
        {
            throw new InvalidDataException($"{fileName} is not a readable HDF5 file (corrupt or truncated): {e.Message}", e);
        }
    }

    /// <summary>The end-of-file address the superblock (at offset 0) records, or null when it cannot be read.</summary>
    private static long? DeclaredLength(Stream stream)
    {
        var head = new byte[64];
        stream.Position = 0;
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (n < 56 || head[0] != 0x89 || head[1] != (byte)'H') return null;
        int version = head[8];
        int sizeOfOffsets = version <= 1 ? head[13] : head[9];
        if (sizeOfOffsets != 8) return null;
        int baseAt = version switch { 0 => 24, 1 => 28, 2 or 3 => 12, _ => -1 };
        if (baseAt < 0) return null;
        int eofAt = baseAt + 16;                                   // after the base and one more address
        ulong b = BitConverter.ToUInt64(head, baseAt), eof = BitConverter.ToUInt64(head, eofAt);
        if (eof == ulong.MaxValue || b == ulong.MaxValue || eof > long.MaxValue / 2 || b > long.MaxValue / 2) return null;
        return (long)(b + eof);
    }

    private static HdfGroup ReadGroup(IH5Group g, long fileLength, string path)
    {
        var result = new HdfGroup();
        ReadAttributes(g, result.Attributes, fileLength, path);
        foreach (var child in g.Children())
        {
            string childPath = path + child.Name + "/";
            switch (child)
            {
                case IH5Group sub: result.Groups[child.Name] = ReadGroup(sub, fileLength, childPath); break;
                case IH5Dataset d: result.Datasets[child.Name] = ReadDataset(d, fileLength, childPath.TrimEnd('/')); break;
            }
        }
        return result;
    }

    private static int[] Dims(IH5Dataspace space, int elementSize, long fileLength, string path)
    {
        var dims = space.Dimensions;
        long n = 1;
        foreach (var d in dims)
        {
            if (d > int.MaxValue) throw new InvalidDataException($"dataset {path} has an impossible dimension {d}");
            n *= (long)d;
            if (n * elementSize > fileLength) throw new InvalidDataException($"{path} claims {n * elementSize} bytes or more, more than the whole file ({fileLength} bytes)");
        }
        return dims.Select(d => (int)d).ToArray();
    }

    private static HdfArray ReadDataset(IH5Dataset d, long fileLength, string path)
    {
        var t = d.Type;
        var shape = Dims(d.Space, Math.Max(1, t.Size), fileLength, path);
        CheckLayout(d.Layout, Math.Max(1, t.Size), fileLength, path);
        bool scalar = shape.Length == 0;
        return (t.Class, t.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 4) => new HdfArray(shape, scalar ? [d.Read<float>()] : d.Read<float[]>()),
            (H5DataTypeClass.FloatingPoint, 8) => new HdfArray(shape, (scalar ? [d.Read<double>()] : d.Read<double[]>()).Select(v => (float)v).ToArray()),
            (H5DataTypeClass.FixedPoint, 8) => new HdfArray(shape, scalar ? [d.Read<long>()] : d.Read<long[]>()),
            (H5DataTypeClass.FixedPoint, 4) => new HdfArray(shape, (scalar ? [d.Read<int>()] : d.Read<int[]>()).Select(v => (long)v).ToArray()),
            _ => throw new InvalidDataException($"dataset {path} has HDF5 type {t.Class} of {t.Size} bytes; Dendrite reads float32, float64, int32 and int64 weights"),
        };
    }

    /// <summary>Keras writes contiguous (or compact) datasets; a chunked one is read only when one chunk fits what the file can
    /// hold decompressed (PureHDF allocates a whole chunk before reading it).</summary>
    private static void CheckLayout(IH5DataLayout layout, int elementSize, long fileLength, string path)
    {
        switch (layout.Class)
        {
            case H5DataLayoutClass.Contiguous or H5DataLayoutClass.Compact: return;
            case H5DataLayoutClass.Chunked:
                long bytes = elementSize;
                foreach (var c in layout.Chunks)
                {
                    bytes *= Math.Max(1L, (long)Math.Min(c, (ulong)int.MaxValue));
                    if (bytes > Math.Min(64L << 20, fileLength * 1100L))
                        throw new InvalidDataException($"dataset {path} has chunks of {bytes} bytes or more, impossible for a {fileLength}-byte file");
                }
                return;
            default: throw new NotSupportedException($"dataset {path} uses HDF5 {layout.Class} storage; Keras writes contiguous datasets");
        }
    }

    private static void ReadAttributes(IH5Object o, Dictionary<string, object> into, long fileLength, string path)
    {
        foreach (var a in o.Attributes())
        {
            var t = a.Type;
            bool scalar = a.Space.Dimensions.Length == 0;
            if (!scalar) Dims(a.Space, Math.Max(1, t.Size), fileLength, path + "@" + a.Name);
            else if (t.Size > fileLength) throw new InvalidDataException($"attribute {path}@{a.Name} claims {t.Size} bytes, more than the whole file ({fileLength} bytes)");
            object? value = t.Class switch
            {
                H5DataTypeClass.String or H5DataTypeClass.VariableLength => scalar ? a.Read<string>() : a.Read<string[]>(),
                H5DataTypeClass.FloatingPoint when t.Size == 8 && !scalar => a.Read<double[]>(),
                H5DataTypeClass.FixedPoint when t.Size == 8 && scalar => a.Read<long>(),
                _ => null,
            };
            if (value is not null) into[a.Name] = value;
        }
    }

    /// <inheritdoc/>
    public void Write(HdfGroup root, Stream stream)
    {
        var file = new H5File();
        Fill(file, root);
        if (stream.CanRead && stream.CanWrite && stream.CanSeek && stream.Position == 0)
        {
            file.Write(stream);                            // straight into the file (AtomicFile's temporary file is such a stream)
            return;
        }
        // PureHDF needs a readable, writable, seekable stream: go through a temporary file, not a second copy in memory.
        using var buffer = new FileStream(Path.Combine(Path.GetTempPath(), $"dendrite-{Guid.NewGuid():N}.h5"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        file.Write(buffer);
        buffer.Position = 0;
        buffer.CopyTo(stream, 1 << 20);
    }

    private static void Fill(H5Group target, HdfGroup source)
    {
        foreach (var (name, value) in source.Attributes) target.Attributes[name] = value;
        foreach (var (name, g) in source.Groups)
        {
            var sub = new H5Group();
            Fill(sub, g);
            target[name] = sub;
        }
        foreach (var (name, d) in source.Datasets)
        {
            var dims = d.Shape.Select(x => (ulong)x).ToArray();
            target[name] = d.Shape.Length == 0
                ? (d.Floats is not null ? (object)d.Floats[0] : d.Longs![0])
                : d.Floats is not null ? new H5Dataset<float[]>(d.Floats, fileDims: dims) : new H5Dataset<long[]>(d.Longs!, fileDims: dims);
        }
    }
}
