using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Rectified linear unit layer: max(x, 0), or negativeSlope * x below 0, capped at maxValue when given.</summary>
public sealed class ReLU(float? maxValue = null, float negativeSlope = 0f, int[]? inputShape = null, string? name = null) : Layer(name, inputShape)
{
    /// <inheritdoc/>
    public override string ClassName => "ReLU";
    /// <summary>The cap, if any.</summary>
    internal float? MaxValue => maxValue;
    /// <summary>The slope below 0.</summary>
    internal float NegativeSlope => negativeSlope;
    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training)
    {
        var y = negativeSlope == 0f ? Ops.Relu(input) : Ops.LeakyRelu(input, negativeSlope);
        return maxValue is float m ? Ops.Minimum(y, Tensor.Scalar(m)) : y;
    }
    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["max_value"] = maxValue; c["negative_slope"] = negativeSlope; c["threshold"] = 0.0; return c; }
    /// <summary>Recreates the layer from its config.</summary>
    public static ReLU FromConfig(JsonObject c) => new((float?)c["max_value"], (float?)c["negative_slope"] ?? 0f, name: (string?)c["name"]);
}
