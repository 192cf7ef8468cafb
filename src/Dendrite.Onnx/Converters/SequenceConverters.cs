using Dendrite.Layers;
using Dendrite.Onnx.Protobuf;

namespace Dendrite.Onnx.Converters;

/// <summary>RepeatVector, Permute and the wrappers TimeDistributed and Bidirectional.</summary>
internal static class SequenceConverters
{
    // (batch, f) -> Unsqueeze at axis 1 -> (batch, 1, f) -> Expand by (1, n, 1) -> (batch, n, f).
    public static string RepeatVector(LayerCall c, OnnxGraph g)
    {
        var r = (RepeatVector)c.Layer;
        string unsqueezed = g.Node("Unsqueeze", [c.Input, g.Int64s(c.Output + "/axes", 1)], g.Temp(c.Output, "Unsqueeze"));
        return g.Node("Expand", [unsqueezed, g.Int64s(c.Output + "/repeats", 1, r.N, 1)], c.Output);
    }

    // Keras's 1-based dims of the sample axes, the batch axis kept first.
    public static string Permute(LayerCall c, OnnxGraph g) =>
        g.Node("Transpose", [c.Input], c.Output, AttributeProto.Ints("perm", [0, .. ((Permute)c.Layer).Dims.Select(d => (long)d)]));
}
