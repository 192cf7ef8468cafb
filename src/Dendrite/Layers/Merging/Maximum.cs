namespace Dendrite.Layers;

/// <summary>Takes the elementwise maximum of its inputs (Keras Maximum).</summary>
public sealed class Maximum(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    public override string ClassName => "Maximum";
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor a, Tensor b) => Ops.Maximum(a, b);
    /// <summary>Recreates the layer from its config.</summary>
    public static Maximum FromConfig(System.Text.Json.Nodes.JsonObject c) => new((string?)c["name"]);
}
