using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Leaky ReLU layer: x, or negativeSlope * x below 0 (Keras layer default slope 0.3).</summary>
public sealed class LeakyReLU(float negativeSlope = 0.3f, int[]? inputShape = null, string? name = null) : Layer(name, inputShape)
{
    /// <inheritdoc/>
    public override string ClassName => "LeakyReLU";
    /// <summary>The slope below 0.</summary>
    internal float NegativeSlope => negativeSlope;
    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => Ops.LeakyRelu(input, negativeSlope);
    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["negative_slope"] = negativeSlope; return c; }
    /// <summary>Recreates the layer from its config (Keras 2 named the slope "alpha").</summary>
    public static LeakyReLU FromConfig(JsonObject c) => new((float?)c["negative_slope"] ?? (float?)c["alpha"] ?? 0.3f, name: (string?)c["name"]);
}
