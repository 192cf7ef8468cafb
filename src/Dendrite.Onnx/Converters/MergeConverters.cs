using Dendrite.Layers;

namespace Dendrite.Onnx.Converters;

/// <summary>
/// The merge layers, combined pairwise from the first input in the order Dendrite combines them (so sums round
/// the same way), with ONNX's NumPy broadcasting as Dendrite's.
/// </summary>
internal static class MergeConverters
{
    public static string Add(LayerCall c, OnnxGraph g) => Chain("Add", c, g, c.Output);
    public static string Subtract(LayerCall c, OnnxGraph g) => Chain("Sub", c, g, c.Output);
    public static string Multiply(LayerCall c, OnnxGraph g) => Chain("Mul", c, g, c.Output);
    public static string Maximum(LayerCall c, OnnxGraph g) => Chain("Max", c, g, c.Output);
    public static string Minimum(LayerCall c, OnnxGraph g) => Chain("Min", c, g, c.Output);

    // Dendrite's Average: the sum, times 1 / count.
    public static string Average(LayerCall c, OnnxGraph g) =>
        g.Node("Mul", [Chain("Add", c, g, g.Temp(c.Output, "Sum")), g.Scalar(1f / c.Inputs.Count)], c.Output);

    public static string Concatenate(LayerCall c, OnnxGraph g)
    {
        var layer = (Concatenate)c.Layer;
        int rank = c.InputShapes[0].Rank;
        int axis = layer.Axis < 0 ? layer.Axis + rank + 1 : layer.Axis;     // an axis of the batch tensor
        return g.Node("Concat", [.. c.Inputs], c.Output, Protobuf.AttributeProto.Int("axis", axis));
    }

    private static string Chain(string op, LayerCall c, OnnxGraph g, string output)
    {
        string acc = c.Inputs[0];
        for (int i = 1; i < c.Inputs.Count; i++)
            acc = g.Node(op, [acc, c.Inputs[i]], i == c.Inputs.Count - 1 ? output : g.Temp(output, op));
        return acc;
    }
}
