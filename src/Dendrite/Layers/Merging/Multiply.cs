namespace Dendrite.Layers;

/// <summary>Multiplies its inputs elementwise (Keras Multiply).</summary>
public sealed class Multiply(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    public override string ClassName => "Multiply";
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor a, Tensor b) => Ops.Mul(a, b);
    /// <summary>Recreates the layer from its config.</summary>
    public static Multiply FromConfig(System.Text.Json.Nodes.JsonObject c) => new((string?)c["name"]);
}
