namespace Dendrite.Layers;

/// <summary>Sums its inputs (Keras Add).</summary>
public sealed class Add(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    public override string ClassName => "Add";
    /// <inheritdoc/>
    protected override Tensor Combine(Tensor a, Tensor b) => Ops.Add(a, b);
    /// <summary>Recreates the layer from its config.</summary>
    public static Add FromConfig(System.Text.Json.Nodes.JsonObject c) => new((string?)c["name"]);
}
