using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Dendrite.Saving;

/// <summary>The .keras zip: metadata.json, config.json and model.weights.h5, in Keras's order.</summary>
internal static class KerasArchive
{
    /// <summary>The Keras version whose file layout Dendrite writes (metadata.json and legacy .h5 "keras_version").</summary>
    public const string KerasVersion = "3.6.0";

    public static void Write(Stream stream, JsonObject config, HdfGroup weights, IHdf5Codec codec)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var metadata = new JsonObject
        {
            ["keras_version"] = KerasVersion,
            ["date_saved"] = DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss", CultureInfo.InvariantCulture),
        };
        Entry(zip, "metadata.json", Encoding.UTF8.GetBytes(metadata.ToJsonString()));
        Entry(zip, "config.json", Encoding.UTF8.GetBytes(config.ToJsonString()));
        // The HDF5 file goes through a temporary file (the codec needs a seekable stream) and is copied into the zip in
        // chunks: saving a large model holds no in-memory copy of its weights file.
        using var h5 = new FileStream(Path.Combine(Path.GetTempPath(), $"dendrite-{Guid.NewGuid():N}.h5"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        codec.Write(weights, h5);
        h5.Position = 0;
        var entry = zip.CreateEntry("model.weights.h5", CompressionLevel.NoCompression);
        using var s = entry.Open();
        h5.CopyTo(s, 1 << 20);
    }

    private static void Entry(ZipArchive zip, string name, byte[] bytes)
    {
        var e = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var s = e.Open();
        s.Write(bytes);
    }

    /// <summary>Reads config.json and model.weights.h5 (as HDF5) from a .keras file; zip damage is reported as <see cref="InvalidDataException"/>.</summary>
    public static (JsonObject Config, HdfGroup Weights) Read(string path, IHdf5Codec codec)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var configEntry = zip.GetEntry("config.json") ?? throw new InvalidDataException($"{path} is a zip file but has no config.json: not a .keras model file.");
            var weightsEntry = zip.GetEntry("model.weights.h5") ?? throw new InvalidDataException($"{path} has no model.weights.h5 (Dendrite reads the HDF5 weights of .keras files, not the sharded or npz kinds).");
            long fileLength = new FileInfo(path).Length;
            foreach (var e in new[] { configEntry, weightsEntry })
                if (e.Length > Math.Max(1L << 20, fileLength * 1100L))
                    throw new InvalidDataException($"{path}: the entry {e.FullName} claims {e.Length} bytes, impossible for a {fileLength}-byte file (corrupt zip).");
            var config = JsonNode.Parse(ReadAll(configEntry)) as JsonObject ?? throw new InvalidDataException($"{path}: config.json is not a JSON object.");
            using var weights = new MemoryStream(ReadAll(weightsEntry));
            return (config, codec.Read(weights, $"{path} (model.weights.h5)"));
        }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path}: config.json is not valid JSON: {e.Message}", e); }
    }

    private static byte[] ReadAll(ZipArchiveEntry e)
    {
        using var s = e.Open();
        var buffer = new MemoryStream(checked((int)e.Length));
        s.CopyTo(buffer);
        return buffer.ToArray();
    }
}
