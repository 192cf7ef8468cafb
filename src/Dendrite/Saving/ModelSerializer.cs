using System.Text.Json.Nodes;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Saving;

/// <summary>
/// Writes layers and models as Keras 3's <c>serialize_keras_object</c> does (config.json of a .keras file):
/// {"module", "class_name", "config", "registered_name", "build_config"}; a functional model lists its layers with
/// "name" and "inbound_nodes" ({"args", "kwargs"} with <c>__keras_tensor__</c> entries); nested models are written in place.
/// </summary>
internal static class ModelSerializer
{
    public static JsonObject Serialize(Layer layer, bool legacy = false)
    {
        var obj = new JsonObject();
        if (!legacy) obj["module"] = ModuleOf(layer);
        obj["class_name"] = layer.ClassName;
        obj["config"] = layer switch
        {
            Sequential s => SequentialConfig(s, legacy),
            Model m => FunctionalConfig(m, legacy),
            _ => LayerConfigWithDtype(layer),
        };
        if (legacy) return obj;
        obj["registered_name"] = layer is Model and not Sequential ? "Functional" : LayerRegistry.IsBuiltIn(layer.ClassName) ? null : $"Custom>{layer.ClassName}";
        if (layer is not Input && BuildConfig(layer) is JsonNode bc) obj["build_config"] = new JsonObject { ["input_shape"] = bc };
        return obj;
    }

    private static string ModuleOf(Layer layer) => layer switch
    {
        Sequential => "keras",
        Model => "keras.src.models.functional",
        _ => LayerRegistry.IsBuiltIn(layer.ClassName) ? "keras.layers" : "custom",
    };

    private static JsonObject LayerConfigWithDtype(Layer layer)
    {
        var c = layer.GetConfig();
        c["dtype"] ??= "float32";
        if (layer is Input)
        {
            c["sparse"] = false;
            c["ragged"] = false;
            c.Remove("trainable");
        }
        return c;
    }

    private static JsonNode? BuildConfig(Layer layer)
    {
        if (layer is Model m)
            return m.HasGraph && m.Inputs.Count == 1 ? BatchShape(m.Inputs[0].Shape) : null;
        var shapes = layer.BuiltInputShapes;
        if (shapes is null) return null;
        return shapes.Count == 1 ? BatchShape(shapes[0]) : new JsonArray(shapes.Select(s => (JsonNode)BatchShape(s)).ToArray());
    }

    internal static JsonArray BatchShape(Shape s) => new([null, .. s.Select(d => (JsonNode)d)]);

    private static JsonObject SequentialConfig(Sequential s, bool legacy)
    {
        var layers = new JsonArray();
        if (s.HasGraph) layers.Add((JsonNode)Serialize(s.Inputs[0].Layer, legacy));
        foreach (var l in s.Layers) layers.Add((JsonNode)Serialize(l, legacy));
        var c = new JsonObject { ["name"] = s.Name, ["trainable"] = s.Trainable, ["dtype"] = "float32", ["layers"] = layers };
        if (s.HasGraph) c["build_input_shape"] = BatchShape(s.Inputs[0].Shape);
        return c;
    }

    private static JsonObject FunctionalConfig(Model m, bool legacy)
    {
        var own = m.Nodes.ToHashSet();
        var layers = new JsonArray();
        foreach (var layer in KerasLayerOrder.Of(m))
        {
            var entry = Serialize(layer, legacy);
            entry["name"] = layer.Name;
            var nodes = new JsonArray();
            foreach (var node in layer.InboundNodes.Where(own.Contains))
            {
                if (layer is Input) continue;
                var tensors = node.Inputs.Select(t => (JsonNode)KerasTensor(t, own)).ToArray();
                JsonNode args = tensors.Length == 1 ? new JsonArray(tensors) : new JsonArray(new JsonArray(tensors));
                nodes.Add((JsonNode)new JsonObject { ["args"] = args, ["kwargs"] = new JsonObject() });
            }
            entry["inbound_nodes"] = nodes;
            layers.Add((JsonNode)entry);
        }
        return new JsonObject
        {
            ["name"] = m.Name, ["trainable"] = m.Trainable, ["layers"] = layers,
            ["input_layers"] = new JsonArray(m.Inputs.Select(t => (JsonNode)History(t, own)).ToArray()),
            ["output_layers"] = new JsonArray(m.Outputs.Select(t => (JsonNode)History(t, own)).ToArray()),
        };
    }

    private static JsonObject KerasTensor(SymbolicTensor t, HashSet<LayerNode> own) => new()
    {
        ["class_name"] = "__keras_tensor__",
        ["config"] = new JsonObject { ["shape"] = BatchShape(t.Shape), ["dtype"] = "float32", ["keras_history"] = History(t, own) },
    };

    /// <summary>[layer name, node index among this model's calls of the layer, tensor index]; a nested functional
    /// model's first node is 1, as in Keras (its node 0 links its own inputs to its outputs).</summary>
    private static JsonArray History(SymbolicTensor t, HashSet<LayerNode> own)
    {
        var layer = t.Layer;
        int index = layer.InboundNodes.Where(own.Contains).ToList().IndexOf(t.Producer);
        if (layer is Model and not Sequential) index++;
        return new JsonArray(layer.Name, index, t.Index);
    }
}
