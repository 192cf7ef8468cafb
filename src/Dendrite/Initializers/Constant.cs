using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>Every element equal to <paramref name="value"/>.</summary>
public sealed class Constant(float value = 0f) : Initializer
{
    /// <inheritdoc/>
    public override string ClassName => "Constant";
    /// <inheritdoc/>
    public override Tensor Create(Shape shape) => Tensor.Full(shape, value);
    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["value"] = value };
}
