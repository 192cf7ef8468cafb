using System.Text.Json.Nodes;
using Dendrite.Data;
using Dendrite.Models;

namespace Dendrite.Saving;

/// <summary>Saving and loading whole models and weights: picks the format (by extension when writing, as Keras does;
/// by the file's first bytes when reading) and turns every failure into an error that names the file.</summary>
internal static class ModelFiles
{
    private static ReadOnlySpan<byte> ZipMagic => "PK\u0003\u0004"u8;
    private static ReadOnlySpan<byte> HdfMagic => [0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1a, (byte)'\n'];

    private enum Kind { Zip, Hdf5 }

    public static void Save(Model model, string path)
    {
        RequireGraph(model, path);
        var codec = Hdf5Support.Require(path);
        if (path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase))
        {
            var config = ModelSerializer.Serialize(model);
            if (model.IsCompiled) config["compile_config"] = CompileConfig.Serialize(model);
            var weights = KerasWeights.ToHdf(model);
            AtomicFile.Write(path, s => KerasArchive.Write(s, config, weights, codec));
        }
        else if (path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase))
        {
            var root = LegacyH5.ModelFile(model);
            AtomicFile.Write(path, s => codec.Write(root, s));
        }
        else throw new ArgumentException($"Invalid filepath extension for saving '{path}'. Add either a `.keras` extension for the native Keras format (recommended) or a `.h5` extension for the legacy HDF5 format.", nameof(path));
    }

    public static void SaveWeights(Model model, string path)
    {
        RequireGraph(model, path);
        var codec = Hdf5Support.Require(path);
        HdfGroup root;
        if (path.EndsWith(".weights.h5", StringComparison.OrdinalIgnoreCase)) root = KerasWeights.ToHdf(model);
        else if (path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase))
        {
            root = new HdfGroup();
            LegacyH5.WriteWeights(model, root);
        }
        else throw new ArgumentException($"The filename must end in `.weights.h5` (or `.h5` for Keras 2's legacy weights file). Received: '{path}'.", nameof(path));
        AtomicFile.Write(path, s => codec.Write(root, s));
    }

    public static Model Load(string path)
    {
        var kind = Sniff(path);
        var codec = Hdf5Support.Require(path);
        return Guard(path, () =>
        {
            if (kind == Kind.Zip)
            {
                var (config, weights) = KerasArchive.Read(path, codec);
                var model = ModelDeserializer.Deserialize(config) as Model
                    ?? throw new InvalidDataException($"config.json describes a {(string?)config["class_name"]}, not a model.");
                if (config["compile_config"] is JsonObject cc && cc.Count > 0) CompileConfig.Apply(model, cc, path);
                KerasWeights.Load(model, weights, path);
                return model;
            }
            return LegacyH5.LoadModel(ReadHdf(path, codec), path);
        });
    }

    public static void LoadWeights(Model model, string path)
    {
        RequireGraph(model, path);
        var kind = Sniff(path);
        var codec = Hdf5Support.Require(path);
        Guard(path, () =>
        {
            if (kind == Kind.Zip) { KerasWeights.Load(model, KerasArchive.Read(path, codec).Weights, path); return 0; }
            var root = ReadHdf(path, codec);
            if (root.Groups.TryGetValue("model_weights", out var mw)) LegacyH5.LoadWeights(model, mw, path);
            else if (root.Attributes.ContainsKey("layer_names") || root.Attributes.ContainsKey("layer_names0")) LegacyH5.LoadWeights(model, root, path);
            else KerasWeights.Load(model, root, path);
            return 0;
        });
    }

    private static void RequireGraph(Model model, string path)
    {
        if (!model.HasGraph)
            throw new InvalidOperationException($"Model '{model.Name}' has no weights yet (no input shape): build it (an Input, inputShape, or a first Fit/Predict) before saving or loading '{path}'.");
    }

    private static HdfGroup ReadHdf(string path, IHdf5Codec codec)
    {
        using var s = File.OpenRead(path);
        return codec.Read(s, path);
    }

    private static Kind Sniff(string path)
    {
        Span<byte> head = stackalloc byte[8];
        int n;
        using (var s = File.OpenRead(path)) n = s.ReadAtLeast(head, 8, throwOnEndOfStream: false);
        if (n >= 4 && head[..4].SequenceEqual(ZipMagic)) return Kind.Zip;
        if (n == 8 && head.SequenceEqual(HdfMagic)) return Kind.Hdf5;
        throw new InvalidDataException(n < 8
            ? $"{path} is empty or truncated ({n} bytes): not a Keras model or weights file."
            : $"{path} is neither a .keras zip nor an HDF5 file (it starts with bytes {Convert.ToHexString(head)}).");
    }

    /// <summary>Runs a load; errors from inside get the file's name when they lack it.</summary>
    private static T Guard<T>(string path, Func<T> load)
    {
        try { return load(); }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        { throw new InvalidDataException($"{path}: {e.Message}", e); }
        catch (NotSupportedException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal)) { throw new NotSupportedException($"{path}: {e.Message}", e); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path}: the model config is not valid JSON: {e.Message}", e); }
        catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidCastException or KeyNotFoundException or ArgumentException or IndexOutOfRangeException or OverflowException)
        { throw new InvalidDataException($"{path}: the model config is not one Dendrite can build: {e.Message}", e); }
    }
}
