using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>He uniform: limit sqrt(6 / fan_in).</summary>
public sealed class HeUniform(int? seed = null) : VarianceScaling(2.0, "fan_in", "uniform", seed)
{
    /// <inheritdoc/>
    public override string ClassName => "HeUniform";

    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["seed"] = Seed };
}
