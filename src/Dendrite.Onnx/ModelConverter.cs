using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Onnx.Converters;
using Dendrite.Onnx.Protobuf;

namespace Dendrite.Onnx;

/// <summary>
/// Walks a model's graph (its layer calls in topological order) into an ONNX graph: each <see cref="Input"/> becomes
/// a graph input named after it with a dynamic batch axis, each layer call becomes the nodes of its converter, the
/// weights become initializers and each output is named after the layer that produces it.
/// </summary>
internal static class ModelConverter
{
    /// <summary>Builds the whole ModelProto (nothing is written yet, so an unsupported layer leaves no file behind).</summary>
    public static ModelProto Convert(Model model, int opset)
    {
        RequireGraph(model);
        var g = new OnnxGraph(model.Name, opset);
        var values = new Dictionary<SymbolicTensor, string>(ReferenceEqualityComparer.Instance);
        var inputNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in model.Inputs)
        {
            string name = g.Reserve(input.Layer.Name);
            values[input] = name;
            inputNames.Add(name);
            g.Proto.Inputs.Add(new ValueInfoProto(name, TensorProto.Float, BatchShape(input.Shape)));
        }
        var reserved = Run(model, values, g, scope: "");
        var outputNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in model.Outputs)
        {
            string produced = values[o];
            string name = reserved.GetValueOrDefault(o, produced);
            if (outputNames.Contains(name) || inputNames.Contains(name)) name = g.Reserve(name + "_output");
            if (name != produced) g.Node("Identity", [produced], name);
            outputNames.Add(name);
            g.Proto.Outputs.Add(new ValueInfoProto(name, TensorProto.Float, BatchShape(o.Shape)));
        }
        var proto = new ModelProto
        {
            IrVersion = OnnxExporter.IrVersionFor(opset),
            ProducerName = "Dendrite",
            ProducerVersion = typeof(Model).Assembly.GetName().Version?.ToString() ?? "",
            Graph = g.Proto,
        };
        proto.OpsetImport.Add(("", opset));
        return proto;
    }

    /// <summary>Expands a model called as a layer: its inputs take the call's inputs, its layers are named "model/layer".</summary>
    public static string ConvertNested(Model model, LayerCall call, OnnxGraph g)
    {
        RequireGraph(model);
        if (model.Inputs.Count != call.Inputs.Count)
            throw new NotSupportedException($"ONNX export: model '{model.Name}' takes {model.Inputs.Count} input(s) but was called on {call.Inputs.Count}.");
        var values = new Dictionary<SymbolicTensor, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < call.Inputs.Count; i++) values[model.Inputs[i]] = call.Inputs[i];
        Run(model, values, g, scope: call.Output + "/");
        return values[model.Outputs[0]];
    }

    // Converts every layer call; returns the name reserved for each call's result (the layer's name, made unique).
    private static Dictionary<SymbolicTensor, string> Run(Model model, Dictionary<SymbolicTensor, string> values, OnnxGraph g, string scope)
    {
        var reserved = new Dictionary<SymbolicTensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var node in model.Nodes)
        {
            if (node.Layer is Input) continue;
            string output = g.Reserve(scope + node.Layer.Name);
            reserved[node.Output] = output;
            var call = new LayerCall(node.Layer, node.Inputs.Select(t => values[t]).ToList(), node.Inputs.Select(t => t.Shape).ToList(), node.Output.Shape, output);
            values[node.Output] = LayerConverters.Convert(call, g);
        }
        return reserved;
    }

    private static void RequireGraph(Model model)
    {
        if (!model.HasGraph)
            throw new InvalidOperationException(
                $"ONNX export: model '{model.Name}' has no input shape yet; start it with an Input, pass inputShape to its first layer, or call Build before exporting.");
    }

    private static long?[] BatchShape(Shape perSample) => [null, .. perSample.ToArray().Select(d => (long?)d)];
}
