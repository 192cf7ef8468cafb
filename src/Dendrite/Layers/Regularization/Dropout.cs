using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>
/// Inverted dropout: in training each value is zeroed with probability the rate and the kept ones are
/// scaled by 1 / (1 - rate); at inference it is the identity. A seed makes the masks reproducible.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly RandomGenerator _rng;

    /// <summary>Creates the layer.</summary>
    public Dropout(double rate, int? seed = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, $"Dropout rate must be in [0, 1), got {rate}.");
        Rate = rate;
        Seed = seed;
        _rng = RandomState.For(seed);
    }

    /// <inheritdoc/>
    public override string ClassName => "Dropout";
    /// <summary>Fraction of values dropped in training.</summary>
    public double Rate { get; }
    /// <summary>The mask seed.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training)
    {
        if (!training || Rate == 0) return input;
        var mask = Tensor.Empty(input.Shape);
        FillMask(mask.AsSpan());
        return Ops.Mul(input, mask);
    }

    /// <summary>Draws the next mask: 1 / (1 - rate) where kept, 0 where dropped.</summary>
    internal void FillMask(Span<float> m)
    {
        float keep = (float)(1 - Rate), scale = 1f / keep;
        _rng.FillBernoulli(m, keep, scale);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["rate"] = Rate; c["seed"] = Seed; c["noise_shape"] = null; return c; }

    /// <summary>Recreates the layer from its config (Keras 1 named the rate "p").</summary>
    public static Dropout FromConfig(JsonObject c) =>
        new((double)(c["rate"] is null && c["p"] is { } p ? p : LayerConfig.Required(c, "rate", "Dropout")), (int?)c["seed"], name: (string?)c["name"]);
}
