using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>LeCun normal (truncated), stddev sqrt(1 / fan_in).</summary>
public sealed class LecunNormal(int? seed = null) : VarianceScaling(1.0, "fan_in", "truncated_normal", seed)
{
    /// <inheritdoc/>
    public override string ClassName => "LecunNormal";

    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["seed"] = Seed };
}
