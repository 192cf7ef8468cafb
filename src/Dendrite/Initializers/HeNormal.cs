using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>He normal (truncated), stddev sqrt(2 / fan_in).</summary>
public sealed class HeNormal(int? seed = null) : VarianceScaling(2.0, "fan_in", "truncated_normal", seed)
{
    /// <inheritdoc/>
    public override string ClassName => "HeNormal";

    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["seed"] = Seed };
}
