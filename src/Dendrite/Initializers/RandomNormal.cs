using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>Normal samples, Keras defaults mean 0, stddev 0.05.</summary>
public sealed class RandomNormal(float mean = 0f, float stddev = 0.05f, int? seed = null) : Initializer
{
    /// <inheritdoc/>
    public override string ClassName => "RandomNormal";
    /// <inheritdoc/>
    public override Tensor Create(Shape shape) => Tensor.RandomNormal(shape, mean, stddev, seed);
    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["mean"] = mean, ["stddev"] = stddev, ["seed"] = seed };
}
