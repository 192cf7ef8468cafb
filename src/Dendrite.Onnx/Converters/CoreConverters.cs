using Dendrite.Layers;

namespace Dendrite.Onnx.Converters;

/// <summary>Dense, the reshaping layers and Dropout.</summary>
internal static class CoreConverters
{
    // x . kernel + bias, then the activation: Gemm on (batch, features) inputs, MatMul + Add on higher ranks
    // (MatMul multiplies on the last axis as Dendrite's Dense does).
    public static string Dense(LayerCall c, OnnxGraph g)
    {
        var d = (Dense)c.Layer;
        ActivationConverter.Check(d.Activation, d);
        string affine = ActivationConverter.IsIdentity(d.Activation) ? c.Output : g.Temp(c.Output, "affine");
        string kernel = g.Weight(d.Kernel);
        if (d.Bias is null) g.Node("MatMul", [c.Input, kernel], affine);
        else if (c.InputShapes[0].Rank == 1) g.Node("Gemm", [c.Input, kernel, g.Weight(d.Bias)], affine);
        else g.Node("Add", [g.Node("MatMul", [c.Input, kernel], g.Temp(c.Output, "MatMul")), g.Weight(d.Bias)], affine);
        return ActivationConverter.Emit(d.Activation, affine, c.Output, g, d);
    }

    public static string Flatten(LayerCall c, OnnxGraph g) =>
        g.Node("Flatten", [c.Input], c.Output, Protobuf.AttributeProto.Int("axis", 1));

    // The batch axis is copied (0 in an ONNX Reshape shape means "keep this axis"), the rest is the layer's output shape.
    public static string Reshape(LayerCall c, OnnxGraph g) =>
        g.Node("Reshape", [c.Input, g.Int64s(c.Output + "/shape", [0, .. c.OutputShape.ToArray().Select(d => (long)d)])], c.Output);

    /// <summary>Inference semantics: dropout is the identity, so no node is emitted.</summary>
    public static string Identity(LayerCall c, OnnxGraph g) => c.Input;
}
