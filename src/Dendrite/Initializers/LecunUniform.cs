using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>LeCun uniform: limit sqrt(3 / fan_in).</summary>
public sealed class LecunUniform(int? seed = null) : VarianceScaling(1.0, "fan_in", "uniform", seed)
{
    /// <inheritdoc/>
    public override string ClassName => "LecunUniform";

    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["seed"] = Seed };
}
