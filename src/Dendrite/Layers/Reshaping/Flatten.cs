namespace Dendrite.Layers;

/// <summary>Flattens each sample to one axis: (batch, d1, d2, ...) to (batch, d1 * d2 * ...).</summary>
public sealed class Flatten(int[]? inputShape = null, string? name = null) : Layer(name, inputShape)
{
    /// <inheritdoc/>
    public override string ClassName => "Flatten";
    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape) => new(inputShape.Size);
    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => Ops.Reshape(input, input.Shape[0], -1);
    /// <summary>Recreates the layer from its config.</summary>
    public static Flatten FromConfig(System.Text.Json.Nodes.JsonObject c) => new(name: (string?)c["name"]);
}
