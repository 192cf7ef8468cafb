using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Exponential linear unit layer: x, or alpha (e^x - 1) below 0.</summary>
public sealed class ELU(float alpha = 1f, int[]? inputShape = null, string? name = null) : Layer(name, inputShape)
{
    /// <inheritdoc/>
    public override string ClassName => "ELU";
    /// <summary>The scale of the negative part.</summary>
    internal float Alpha => alpha;
    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => Ops.Elu(input, alpha);
    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["alpha"] = alpha; return c; }
    /// <summary>Recreates the layer from its config.</summary>
    public static ELU FromConfig(JsonObject c) => new((float?)c["alpha"] ?? 1f, name: (string?)c["name"]);
}
