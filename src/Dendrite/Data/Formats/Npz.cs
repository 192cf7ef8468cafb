using System.IO.Compression;

namespace Dendrite.Data;

/// <summary>Reads and writes NumPy <c>.npz</c> archives (a zip of <c>.npy</c> files), such as Keras's <c>mnist.npz</c>.</summary>
public static class Npz
{
    /// <summary>
    /// Every array in the archive by name (without the ".npy"). A corrupt archive or array throws
    /// <see cref="InvalidDataException"/> naming the file (and the entry); an entry compressed with a method other than
    /// stored or deflate throws <see cref="NotSupportedException"/>. Object arrays need <paramref name="allowPickle"/>
    /// (see <see cref="Npy.Read(Stream, bool)"/>).
    /// </summary>
    public static Dictionary<string, NDArray> Read(string path, bool allowPickle = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string entryName = "";
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var result = new Dictionary<string, NDArray>();
            foreach (var e in zip.Entries)
            {
                if (!e.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                entryName = e.FullName;
                // A stored entry's length is bounded by the file's, so the array can be allocated at once; a deflated one grows.
                long fileLength = new FileInfo(path).Length;
                long? known = e.CompressedLength == e.Length && e.Length <= fileLength ? e.Length : null;
                using var s = new DecompressionGuardStream(e.Open(), "deflate data");
                result[e.FullName[..^4]] = Npy.Read(s, allowPickle, known);
            }
            return result;
        }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path} is not a valid .npz archive{Entry(entryName)}: {e.Message}", e); }
        catch (NotSupportedException e) { throw new NotSupportedException($"{path}{Entry(entryName)}: {e.Message}", e); }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            // The zip reader reports some inconsistent offsets as I/O errors (a seek before the start of the file).
            throw new InvalidDataException($"{path} is not a valid .npz archive{Entry(entryName)}: {e.Message}", e);
        }
    }

    private static string Entry(string name) => name.Length == 0 ? "" : $" (entry '{name}')";

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
