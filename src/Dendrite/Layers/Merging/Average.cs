namespace Dendrite.Layers;

/// <summary>The elementwise mean of its inputs (Keras Average).</summary>
public sealed class Average(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    public override string ClassName => "Average";
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor a, Tensor b) => Ops.Add(a, b);
    /// <inheritdoc/>
    protected override Tensor Finish(Tensor combined, int count) => Ops.Mul(combined, 1f / count);
    /// <summary>Recreates the layer from its config.</summary>
    public static Average FromConfig(System.Text.Json.Nodes.JsonObject c) => new((string?)c["name"]);
}
