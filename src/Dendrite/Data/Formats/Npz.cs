using System.IO.Compression;

namespace Dendrite.Data;

/// <summary>Reads and writes NumPy <c>.npz</c> archives (a zip of <c>.npy</c> files), such as Keras's <c>mnist.npz</c>.</summary>
public static class Npz
{
    /// <summary>Every array in the archive by name (without the ".npy").</summary>
    public static Dictionary<string, NDArray> Read(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var result = new Dictionary<string, NDArray>();
            foreach (var e in zip.Entries)
            {
                if (!e.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                using var s = e.Open();
                result[e.FullName[..^4]] = Npy.Read(s);
            }
            return result;
        }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path} is not a valid .npz archive: {e.Message}", e); }
    }

    /// <summary>Writes arrays to an archive, compressed like <c>numpy.savez_compressed</c> (or stored), atomically.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, NDArray> arrays, bool compressed = true) =>
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, array) in arrays)
            {
                var entry = zip.CreateEntry(name + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var s = entry.Open();
                Npy.Write(s, array);
            }
        });
}
