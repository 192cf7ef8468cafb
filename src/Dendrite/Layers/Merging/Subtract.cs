namespace Dendrite.Layers;

/// <summary>Subtracts its second input from its first (exactly two inputs; Keras Subtract).</summary>
public sealed class Subtract(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    public override string ClassName => "Subtract";

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(IReadOnlyList<Shape> inputShapes)
    {
        if (inputShapes.Count != 2) throw new ArgumentException($"Layer '{Name}' (Subtract) takes exactly 2 inputs, got {inputShapes.Count}.");
        return base.ComputeOutputShape(inputShapes);
    }

    /// <inheritdoc/>
    protected override Tensor Combine(Tensor a, Tensor b) => Ops.Sub(a, b);
    /// <summary>Recreates the layer from its config.</summary>
    public static Subtract FromConfig(System.Text.Json.Nodes.JsonObject c) => new((string?)c["name"]);
}
