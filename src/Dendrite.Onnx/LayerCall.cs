using Dendrite.Layers;

namespace Dendrite.Onnx;

/// <summary>
/// One layer call to convert: the layer, the ONNX names of its inputs, the per-sample shapes (the batch axis is
/// implied) and the name its result should take when a node produces it.
/// </summary>
internal sealed record LayerCall(Layer Layer, IReadOnlyList<string> Inputs, IReadOnlyList<Shape> InputShapes, Shape OutputShape, string Output)
{
    /// <summary>The single input (throws, naming the layer, otherwise).</summary>
    public string Input => Inputs.Count == 1 ? Inputs[0]
        : throw new NotSupportedException($"ONNX export: layer '{Layer.Name}' ({Layer.ClassName}) was called on {Inputs.Count} inputs; it takes one.");
}
