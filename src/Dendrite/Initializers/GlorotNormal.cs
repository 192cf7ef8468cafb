using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>Glorot normal (truncated).</summary>
public sealed class GlorotNormal(int? seed = null) : VarianceScaling(1.0, "fan_avg", "truncated_normal", seed)
{
    /// <inheritdoc/>
    public override string ClassName => "GlorotNormal";

    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["seed"] = Seed };
}
