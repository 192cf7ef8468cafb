using Dendrite.Layers;
using Dendrite.Onnx.Protobuf;

namespace Dendrite.Onnx.Converters;

/// <summary>The activation layers: Activation, ReLU, LeakyReLU, ELU and Softmax.</summary>
internal static class ActivationLayerConverters
{
    public static string Activation(LayerCall c, OnnxGraph g) =>
        ActivationConverter.Emit(((Activation)c.Layer).Function, c.Input, c.Output, g, c.Layer);

    // Dendrite's ReLU layer: relu (or leaky relu with the negative slope), then min(y, maxValue) when capped.
    public static string ReLU(LayerCall c, OnnxGraph g)
    {
        var r = (ReLU)c.Layer;
        string y = r.MaxValue is null ? c.Output : g.Temp(c.Output, "Relu");
        y = r.NegativeSlope == 0f ? g.Node("Relu", [c.Input], y) : g.Node("LeakyRelu", [c.Input], y, AttributeProto.Float("alpha", r.NegativeSlope));
        return r.MaxValue is float m ? g.Node("Min", [y, g.Scalar(m)], c.Output) : y;
    }

    public static string LeakyReLU(LayerCall c, OnnxGraph g) =>
        g.Node("LeakyRelu", [c.Input], c.Output, AttributeProto.Float("alpha", ((LeakyReLU)c.Layer).NegativeSlope));

    public static string ELU(LayerCall c, OnnxGraph g) =>
        g.Node("Elu", [c.Input], c.Output, AttributeProto.Float("alpha", ((ELU)c.Layer).Alpha));

    public static string Softmax(LayerCall c, OnnxGraph g) =>
        g.Node("Softmax", [c.Input], c.Output, AttributeProto.Int("axis", ((Softmax)c.Layer).Axis));
}
