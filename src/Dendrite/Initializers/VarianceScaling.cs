using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>
/// Keras VarianceScaling: scale /= max(1, fan) by <paramref name="mode"/>; "uniform" draws from +-sqrt(3 scale),
/// "truncated_normal" from a normal of stddev sqrt(scale) / 0.87962566103423978 cut at 2 stddev, "untruncated_normal" sqrt(scale).
/// </summary>
public class VarianceScaling(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal", int? seed = null) : Initializer
{
    /// <inheritdoc/>
    public override string ClassName => "VarianceScaling";

    /// <summary>The seed (null: from the global generator).</summary>
    public int? Seed { get; } = seed;

    /// <inheritdoc/>
    public override Tensor Create(Shape shape)
    {
        var (fanIn, fanOut) = Fans(shape);
        double fan = mode switch
        {
            "fan_in" => fanIn, "fan_out" => fanOut, "fan_avg" => (fanIn + fanOut) / 2,
            _ => throw new ArgumentException($"VarianceScaling mode must be fan_in, fan_out or fan_avg, got '{mode}'."),
        };
        double s = scale / Math.Max(1.0, fan);
        return distribution switch
        {
            "uniform" => Tensor.RandomUniform(shape, (float)-Math.Sqrt(3 * s), (float)Math.Sqrt(3 * s), Seed),
            "truncated_normal" => Tensor.TruncatedNormal(shape, 0f, (float)(Math.Sqrt(s) / 0.87962566103423978), Seed),
            "untruncated_normal" or "normal" => Tensor.RandomNormal(shape, 0f, (float)Math.Sqrt(s), Seed),
            _ => throw new ArgumentException($"VarianceScaling distribution must be uniform, truncated_normal or untruncated_normal, got '{distribution}'."),
        };
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["scale"] = scale, ["mode"] = mode, ["distribution"] = distribution, ["seed"] = Seed };
}
