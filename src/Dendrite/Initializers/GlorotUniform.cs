using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>Glorot (Xavier) uniform: limit sqrt(6 / (fan_in + fan_out)).</summary>
public sealed class GlorotUniform(int? seed = null) : VarianceScaling(1.0, "fan_avg", "uniform", seed)
{
    /// <inheritdoc/>
    public override string ClassName => "GlorotUniform";

    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["seed"] = Seed };
}
