using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>Uniform samples, Keras defaults [-0.05, 0.05).</summary>
public sealed class RandomUniform(float minval = -0.05f, float maxval = 0.05f, int? seed = null) : Initializer
{
    /// <inheritdoc/>
    public override string ClassName => "RandomUniform";
    /// <inheritdoc/>
    public override Tensor Create(Shape shape) => Tensor.RandomUniform(shape, minval, maxval, seed);
    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["minval"] = minval, ["maxval"] = maxval, ["seed"] = seed };
}
