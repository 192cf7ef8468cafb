using System.Text.Json.Nodes;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Saving;

/// <summary>
/// Keras's legacy HDF5 format (Keras 1/2, tf.keras, and Keras 3's <c>model.save("x.h5")</c>): root attributes
/// model_config and training_config (JSON), group model_weights with "layer_names" and one group per layer with
/// "weight_names"; weights are matched to layers by order, as Keras does; optimizer_weights by order too.
/// </summary>
internal static class LegacyH5
{
    /// <summary>Keras 2's per-layer weight order: trainable, then non-trainable.</summary>
    private static List<Tensor> LayerWeights(Layer l) => [.. l.TrainableWeights, .. l.NonTrainableWeights];

    public static HdfGroup ModelFile(Model model)
    {
        var root = new HdfGroup();
        root.Attributes["keras_version"] = KerasArchive.KerasVersion;
        root.Attributes["backend"] = "dendrite";
        root.Attributes["model_config"] = ModelSerializer.Serialize(model, legacy: true).ToJsonString();
        if (model.IsCompiled) root.Attributes["training_config"] = CompileConfig.SerializeLegacy(model).ToJsonString();
        WriteWeights(model, root.Group("model_weights"));
        root.Group("model_weights").Group("top_level_model_weights").Attributes["weight_names"] = Array.Empty<double>();
        if (model.Optimizer is { } opt)
        {
            var state = KerasWeights.OptimizerState(opt, model.TrainableWeights);
            var g = root.Group("optimizer_weights");
            string p = opt.ClassName.ToLowerInvariant();
            var names = state.Select((_, i) => i == 0 ? $"{p}/iteration" : i == 1 && opt.Schedule is null ? $"{p}/learning_rate" : $"{p}/slot_{i}").ToArray();
            g.Attributes["weight_names"] = names;
            for (int i = 0; i < names.Length; i++) g.Group(p).Datasets[names[i][(p.Length + 1)..]] = state[i];
        }
        return root;
    }

    public static void WriteWeights(Model model, HdfGroup g)
    {
        var layers = KerasLayerOrder.Of(model);
        PutNames(g, "layer_names", layers.Select(l => l.Name).ToArray());
        g.Attributes["backend"] = "dendrite";
        g.Attributes["keras_version"] = KerasArchive.KerasVersion;
        foreach (var layer in layers)
        {
            var lg = g.Group(layer.Name);
            var ws = LayerWeights(layer);
            var names = ws.Select((w, i) => string.IsNullOrEmpty(w.Name) ? $"{layer.Name}/weight_{i}" : w.Name).ToArray();
            if (names.Length == 0) lg.Attributes["weight_names"] = Array.Empty<double>();
            else PutNames(lg, "weight_names", names);
            for (int i = 0; i < ws.Count; i++)
            {
                int cut = names[i].LastIndexOf('/');
                var target = cut < 0 ? lg : Path(lg, names[i][..cut]);
                target.Datasets[names[i][(cut + 1)..]] = new HdfArray(ws[i].Shape.ToArray(), KerasWeights.Values(ws[i]));
            }
        }
    }

    /// <summary>Keras's HDF5_OBJECT_HEADER_LIMIT: a longer list of names is split into name0, name1, ... attributes.</summary>
    private const int HeaderLimit = 64512;

    private static void PutNames(HdfGroup g, string key, string[] names)
    {
        int bytes = names.Sum(n => System.Text.Encoding.UTF8.GetByteCount(n) + 16);
        if (bytes <= HeaderLimit) { g.Attributes[key] = names; return; }
        int chunks = (bytes + HeaderLimit - 1) / HeaderLimit + 1, per = (names.Length + chunks - 1) / chunks;
        for (int c = 0; c * per < names.Length; c++) g.Attributes[key + c] = names.Skip(c * per).Take(per).ToArray();
    }

    private static HdfGroup Path(HdfGroup g, string path)
    {
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries)) g = g.Group(part);
        return g;
    }

    /// <summary>The model described by the root's model_config, compiled from training_config, with its weights.</summary>
    public static Model LoadModel(HdfGroup root, string file)
    {
        var configText = root.Attributes.TryGetValue("model_config", out var mc) && mc is string s ? s
            : throw new InvalidDataException($"{file} is an HDF5 file without a model_config: it holds weights only (build the model in code and call LoadWeights).");
        var config = JsonNode.Parse(configText);
        if (Keras2Configs.IsKeras2(root.Attributes.GetValueOrDefault("keras_version") as string)) Keras2Configs.Upgrade(config);
        var model = ModelDeserializer.Deserialize(config) as Model
            ?? throw new InvalidDataException($"{file}: model_config does not describe a model.");
        if (root.Attributes.TryGetValue("training_config", out var tc) && tc is string t && JsonNode.Parse(t) is JsonObject training)
            CompileConfig.Apply(model, training, file);
        LoadWeights(model, root.Groups.TryGetValue("model_weights", out var mw) ? mw : root, file);
        if (model.Optimizer is { } opt && root.Groups.TryGetValue("optimizer_weights", out var ow)) LoadOptimizer(model, ow, file);
        return model;
    }

    /// <summary>Keras's load_weights_from_hdf5_group: layers with weights, in order, against the file's layers with weights.</summary>
    public static void LoadWeights(Model model, HdfGroup g, string file)
    {
        var names = g.StringsAttribute("layer_names") ?? throw new InvalidDataException($"{file} has no layer_names attribute: not a Keras weights file.");
        var fileLayers = names.Where(n => g.Groups.TryGetValue(n, out var lg) && (lg.StringsAttribute("weight_names")?.Length ?? 0) > 0).ToList();
        var layers = KerasLayerOrder.Of(model).Where(l => l.Weights.Count > 0).ToList();
        if (fileLayers.Count != layers.Count)
            throw new InvalidDataException($"{file} has {fileLayers.Count} layers with weights ({string.Join(", ", fileLayers)}) but model '{model.Name}' has {layers.Count} ({string.Join(", ", layers.Select(l => l.Name))}).");
        var assign = new List<(Tensor Target, float[] Data)>();
        for (int i = 0; i < layers.Count; i++)
        {
            var lg = g.Groups[fileLayers[i]];
            var wn = lg.StringsAttribute("weight_names")!;
            var targets = LayerWeights(layers[i]);
            if (wn.Length != targets.Count)
                throw new InvalidDataException($"{file}: layer '{fileLayers[i]}' has {wn.Length} weights in the file, but layer '{layers[i].Name}' ({layers[i].ClassName}) has {targets.Count}.");
            for (int k = 0; k < wn.Length; k++)
            {
                var d = lg.FindDataset(wn[k]) ?? throw new InvalidDataException($"{file}: weight '{wn[k]}' of layer '{fileLayers[i]}' is listed but missing.");
                if (!d.Shape.SequenceEqual(targets[k].Shape.ToArray()))
                    throw new InvalidDataException($"{file}: weight '{wn[k]}' has shape {d} but {targets[k].Name} of layer '{layers[i].Name}' has shape {targets[k].Shape}.");
                assign.Add((targets[k], d.AsFloats()));
            }
        }
        foreach (var (t, data) in assign) data.CopyTo(t.AsSpan());
    }

    /// <summary>Restores optimizer_weights written in Keras 3's order (iteration, [learning_rate], slots); older orders are skipped with a warning.</summary>
    private static void LoadOptimizer(Model model, HdfGroup g, string file)
    {
        var names = g.StringsAttribute("weight_names");
        if (names is null || names.Length == 0) return;
        var values = new List<HdfArray>();
        foreach (var n in names) if (g.FindDataset(n) is { } d) values.Add(d); else return;
        bool modern = names[0].EndsWith("iteration", StringComparison.Ordinal) || names[0].EndsWith("iteration:0", StringComparison.Ordinal);
        bool hasLr = names.Length > 1 && names[1].Contains("learning_rate", StringComparison.Ordinal);
        if (!modern || !KerasWeights.RestoreOptimizer(model.Optimizer!, model.TrainableWeights, values, hasLr))
            Console.Error.WriteLine($"Warning: {file}: the saved optimizer state ({names.Length} variables, first '{names[0]}') does not fit {model.Optimizer!.ClassName} on model '{model.Name}'; the optimizer starts fresh.");
    }
}
