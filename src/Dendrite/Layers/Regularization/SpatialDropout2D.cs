using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>
/// Dropout of whole feature maps (Keras SpatialDropout2D): in training each (sample, channel) of (batch, height, width,
/// channels) input is zeroed with probability the rate and kept ones are scaled by 1 / (1 - rate); the identity at inference.
/// </summary>
public sealed class SpatialDropout2D : Layer
{
    private readonly RandomGenerator _rng;

    /// <summary>Creates the layer.</summary>
    public SpatialDropout2D(double rate, string? dataFormat = null, int? seed = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"Layer '{Name}' (SpatialDropout2D): rate must be in [0, 1), got {rate}.");
        Pooling.CheckDataFormat(dataFormat, Name);
        Rate = rate;
        Seed = seed;
        _rng = RandomState.For(seed);
    }

    /// <inheritdoc/>
    public override string ClassName => "SpatialDropout2D";
    /// <summary>Fraction of feature maps dropped in training.</summary>
    public double Rate { get; }
    /// <summary>The mask seed.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) => Pooling.CheckRank(inputShape, 2, Name, ClassName);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training)
    {
        if (!training || Rate == 0) return input;
        var mask = Tensor.Empty([input.Shape[0], 1, 1, input.Shape[3]]);
        var m = mask.AsSpan();
        float keep = (float)(1 - Rate), scale = 1f / keep;
        _rng.FillBernoulli(m, keep, scale);
        return Ops.Mul(input, mask);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["rate"] = Rate;
        c["seed"] = Seed;
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>Recreates the layer from its config.</summary>
    public static SpatialDropout2D FromConfig(JsonObject c) =>
        new((double)LayerConfig.Required(c, "rate", "SpatialDropout2D"), (string?)c["data_format"], (int?)c["seed"], name: (string?)c["name"]);
}
