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

    // (batch, time, ...) -> Reshape (batch * time, ...) -> the inner layer's own converter -> Reshape (batch, time, ...').
    public static string TimeDistributed(LayerCall c, OnnxGraph g)
    {
        var td = (TimeDistributed)c.Layer;
        var dims = c.InputShapes[0].ToArray();
        var step = new Shape(dims[1..]);
        string folded = g.Node("Reshape", [c.Input, g.Int64s(c.Output + "/fold", [-1, .. step.ToArray().Select(d => (long)d)])], g.Temp(c.Output, "fold"));
        var innerOut = td.Layer.ComputeOutputShape(step);
        string inner = LayerConverters.Convert(new LayerCall(td.Layer, [folded], [step], innerOut, g.Temp(c.Output, td.Layer.Name)), g);
        return g.Node("Reshape", [inner, g.Int64s(c.Output + "/unfold", [-1, dims[0], .. innerOut.ToArray().Select(d => (long)d)])], c.Output);
    }

    // Both directions through their own layers' converters; the backward sequence reversed back in time (Slice with
    // step -1 on the time axis), then the merge. Several outputs (mergeMode null, returnState) do not export.
    public static string Bidirectional(LayerCall c, OnnxGraph g)
    {
        var b = (Bidirectional)c.Layer;
        if (b.OutputCount != 1)
            throw new NotSupportedException($"ONNX export: layer '{b.Name}' (Bidirectional) has {b.OutputCount} outputs (mergeMode null or returnState); only a merged single output exports.");
        var inShape = c.InputShapes[0];
        string Direction(Layer l) => LayerConverters.Convert(new LayerCall(l, [c.Input], [inShape], l.ComputeOutputShape(inShape), g.Temp(c.Output, l.Name)), g);
        string forward = Direction(b.ForwardLayer), backward = Direction(b.BackwardLayer);
        if (b.ReturnSequences)
            backward = g.Node("Slice", [backward, g.Int64s(c.Output + "/starts", -1), g.Int64s(c.Output + "/ends", long.MinValue),
                g.Int64s(c.Output + "/axes", 1), g.Int64s(c.Output + "/steps", -1)], g.Temp(c.Output, "reverse"));
        return b.MergeMode switch
        {
            "concat" => g.Node("Concat", [forward, backward], c.Output, AttributeProto.Int("axis", -1)),
            "sum" => g.Node("Add", [forward, backward], c.Output),
            "mul" => g.Node("Mul", [forward, backward], c.Output),
            _ => g.Node("Mul", [g.Node("Add", [forward, backward], g.Temp(c.Output, "Add")), g.Scalar(0.5f)], c.Output),
        };
    }
}
