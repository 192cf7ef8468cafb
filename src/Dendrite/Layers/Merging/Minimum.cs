namespace Dendrite.Layers;

/// <summary>Takes the elementwise minimum of its inputs (Keras Minimum).</summary>
public sealed class Minimum(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    public override string ClassName => "Minimum";
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor a, Tensor b) => Ops.Minimum(a, b);
    /// <summary>Recreates the layer from its config.</summary>
    public static Minimum FromConfig(System.Text.Json.Nodes.JsonObject c) => new((string?)c["name"]);
}
