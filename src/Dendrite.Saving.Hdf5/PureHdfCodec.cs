using PureHDF;
using Dendrite.Saving;

namespace Dendrite.Saving.Hdf5;

/// <summary>Reads <see cref="HdfGroup"/> trees with Dendrite's own bounded HDF5 reader and writes them with PureHDF.
/// A damaged file gets an <see cref="InvalidDataException"/> (or <see cref="NotSupportedException"/> for a real
/// unsupported feature) naming the file and the object, never a huge allocation or a long run.</summary>
public sealed class PureHdfCodec : IHdf5Codec
{
    /// <inheritdoc/>
    /// <remarks>Reads with Dendrite's own bounded reader (<c>Reading/Hdf5Reader</c>), not PureHDF.</remarks>
    public HdfGroup Read(Stream stream, string fileName) => Reading.Hdf5Reader.Read(stream, fileName);

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
