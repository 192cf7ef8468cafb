using System.Text.Json.Nodes;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Saving;

/// <summary>
/// Rebuilds layers and models from Keras configs: Keras 3 (.keras config.json, legacy .h5 written by Keras 3) and
/// Keras 1/2 (legacy .h5 model_config: Sequential as a bare list or with "layers", "batch_input_shape" on the first
/// layer, functional "Model"/"Functional" with nested-list inbound nodes). Nested models are rebuilt recursively.
/// </summary>
internal static class ModelDeserializer
{
    public static Layer Deserialize(JsonNode? node)
    {
        if (node is not JsonObject obj || obj["class_name"] is not JsonValue cv || !cv.TryGetValue(out string? cls))
            throw new InvalidDataException($"a layer entry has no class_name: {Short(node)}");
        var config = obj["config"];
        return cls switch
        {
            "Sequential" => SequentialFrom(config),
            "Functional" or "Model" => FunctionalFrom(config as JsonObject ?? throw new InvalidDataException($"model entry {Short(node)} has no config object")),
            _ => LayerRegistry.FromConfig(StripPackage(cls, obj), config as JsonObject ?? []),
        };
    }

    /// <summary>"package>Name" registered names and "Custom>Adam" style names resolve to the plain class name.</summary>
    private static string StripPackage(string cls, JsonObject obj)
    {
        if (obj["registered_name"] is JsonValue rv && rv.TryGetValue(out string? reg) && reg.Contains('>') && LayerRegistry.IsRegistered(reg)) return reg;
        int cut = cls.LastIndexOf('>');
        return cut >= 0 ? cls[(cut + 1)..] : cls;
    }

    private static Sequential SequentialFrom(JsonNode? config)
    {
        JsonArray layers; string? name = null; JsonArray? buildShape = null; bool trainable = true;
        if (config is JsonArray bare) layers = bare;
        else if (config is JsonObject c && c["layers"] is JsonArray l)
        {
            layers = l; name = (string?)c["name"]; buildShape = c["build_input_shape"] as JsonArray;
            trainable = (bool?)c["trainable"] ?? true;
        }
        else throw new InvalidDataException($"Sequential config has no layers: {Short(config)}");
        var list = new List<Layer>();
        for (int i = 0; i < layers.Count; i++)
        {
            var entry = layers[i] as JsonObject ?? throw new InvalidDataException($"Sequential layer {i} is not an object");
            if (list.Count == 0 && entry["config"] is JsonObject lc && (string?)entry["class_name"] != "InputLayer"
                && (lc["batch_input_shape"] ?? lc["batch_shape"]) is JsonArray first)
                list.Add(new Input(LayerRegistry.Dims(first).Skip(1).ToArray()));
            list.Add(Deserialize(entry));
        }
        var model = new Sequential(list, name) { Trainable = trainable };
        if (!model.HasGraph && buildShape is not null) model.Build(LayerRegistry.Dims(buildShape).Skip(1).ToArray());
        return model;
    }

    private static Model FunctionalFrom(JsonObject config)
    {
        var entries = config["layers"] as JsonArray ?? throw new InvalidDataException("functional model config has no layers");
        var layers = new List<(Layer Layer, JsonArray Nodes)>();
        var byName = new Dictionary<string, Layer>();
        foreach (var e in entries)
        {
            var entry = e as JsonObject ?? throw new InvalidDataException("a functional model layer entry is not an object");
            var layer = Deserialize(entry);
            string name = (string?)entry["name"] ?? layer.Name;
            if (layer.Name != name) throw new InvalidDataException($"layer entry '{name}' builds a layer named '{layer.Name}'");
            byName[name] = layer;
            layers.Add((layer, entry["inbound_nodes"] as JsonArray ?? []));
        }
        var tensors = new Dictionary<(string, int, int), SymbolicTensor>();
        foreach (var (layer, _) in layers) if (layer is Input input) tensors[(layer.Name, 0, 0)] = input.Output;
        var pending = new List<(Layer Layer, int Index, List<(string, int, int)> Inputs)>();
        foreach (var (layer, nodes) in layers)
        {
            int offset = layer is Model and not Sequential ? 1 : 0;
            for (int k = 0; k < nodes.Count; k++) pending.Add((layer, k + offset, NodeInputs(nodes[k], layer.Name)));
        }
        while (pending.Count > 0)
        {
            int before = pending.Count;
            for (int i = 0; i < pending.Count; i++)
            {
                var (layer, index, inputs) = pending[i];
                if (!inputs.All(tensors.ContainsKey)) continue;
                var args = inputs.Select(k => tensors[k]).ToList();
                var produced = layer.CallOutputs(args);
                for (int o = 0; o < produced.Count; o++) tensors[(layer.Name, index, o)] = produced[o];
                pending.RemoveAt(i--);
            }
            if (pending.Count == before)
            {
                var (l, _, ins) = pending[0];
                var missing = ins.First(k => !tensors.ContainsKey(k));
                throw new InvalidDataException($"the graph cannot be built: layer '{l.Name}' takes the output of '{missing.Item1}' (node {missing.Item2}), which no layer produces");
            }
        }
        SymbolicTensor Endpoint(JsonNode? n)
        {
            var (name, index, tensor) = Leaf(n as JsonArray ?? throw new InvalidDataException($"bad model input/output entry {Short(n)}"));
            return tensors.TryGetValue((name, index, tensor), out var t) ? t
                : throw new InvalidDataException($"model input/output '{name}' (node {index}) is not in the graph");
        }
        var ins2 = Endpoints(config["input_layers"]).Select(Endpoint).ToList();
        var outs = Endpoints(config["output_layers"]).Select(Endpoint).ToList();
        var model = new Model(ins2, outs, (string?)config["name"]) { Trainable = (bool?)config["trainable"] ?? true };
        model.SetLayerOrder(layers.Select(l => l.Layer).ToList());
        return model;
    }

    /// <summary>The model's inputs or outputs: a single ["name", node, tensor], a list of them, or a dict of them.</summary>
    private static IEnumerable<JsonNode?> Endpoints(JsonNode? n) => n switch
    {
        JsonArray a when a.Count > 0 && a[0] is JsonValue => [a],
        JsonArray a => a,
        JsonObject o => o.Select(kv => kv.Value),
        _ => throw new InvalidDataException($"bad input_layers/output_layers entry {Short(n)}"),
    };

    private static (string, int, int) Leaf(JsonArray a) =>
        a.Count >= 2 && a[0] is JsonValue nv && nv.TryGetValue(out string? name)
            ? (name, (int)a[1]!, a.Count >= 3 && a[2] is JsonValue tv && tv.TryGetValue(out int ti) ? ti : 0)
            : throw new InvalidDataException($"bad layer reference {Short(a)}");

    /// <summary>The tensors a node reads: Keras 3 {"args", "kwargs"} with __keras_tensor__ entries, or Keras 2 [[name, node, tensor, kwargs], ...].</summary>
    private static List<(string, int, int)> NodeInputs(JsonNode? node, string layer)
    {
        var found = new List<(string, int, int)>();
        if (node is JsonObject o) Collect(o["args"], found);
        else if (node is JsonArray legacy)
            foreach (var item in legacy)
                found.Add(Leaf(item as JsonArray ?? throw new InvalidDataException($"layer '{layer}': bad inbound node {Short(node)}")));
        else throw new InvalidDataException($"layer '{layer}': bad inbound node {Short(node)}");
        if (found.Count == 0) throw new InvalidDataException($"layer '{layer}': an inbound node has no input tensor");
        return found;
    }

    private static void Collect(JsonNode? n, List<(string, int, int)> into)
    {
        switch (n)
        {
            case JsonObject o when (string?)o["class_name"] == "__keras_tensor__":
                into.Add(Leaf(o["config"]?["keras_history"] as JsonArray ?? throw new InvalidDataException("a __keras_tensor__ has no keras_history")));
                break;
            case JsonArray a: foreach (var x in a) Collect(x, into); break;
        }
    }

    internal static string Short(JsonNode? n)
    {
        var s = n?.ToJsonString() ?? "null";
        return s.Length > 120 ? s[..120] + "..." : s;
    }
}
