using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// Layer normalization (Keras LayerNormalization): each sample is normalized over <see cref="Axis"/> (the trailing
/// axes; -1 by default) with its own mean and biased variance, then scaled by gamma and shifted by beta; the same in
/// training and at inference.
/// </summary>
public sealed class LayerNormalization : Layer
{
    private readonly int[] _axis;
    private int[]? _resolved;
    private Tensor? _gamma, _beta;

    /// <summary>Creates the layer with Keras's defaults; <paramref name="axis"/> is one axis or several trailing axes.</summary>
    public LayerNormalization(Dims axis = default, double epsilon = 1e-3, bool center = true, bool scale = true,
        Initializer? betaInitializer = null, Initializer? gammaInitializer = null,
        Regularizer? betaRegularizer = null, Regularizer? gammaRegularizer = null,
        int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"Layer '{Name}' (LayerNormalization): epsilon must be positive, got {epsilon}.");
        _axis = axis.IsEmpty ? [-1] : [.. axis.Values];
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
        BetaInitializer = betaInitializer ?? new Zeros();
        GammaInitializer = gammaInitializer ?? new Ones();
        BetaRegularizer = betaRegularizer;
        GammaRegularizer = gammaRegularizer;
    }

    /// <inheritdoc/>
    public override string ClassName => "LayerNormalization";
    /// <summary>The normalized axes: as given, or sorted positive axes once built (as Keras stores them).</summary>
    public IReadOnlyList<int> Axis => _resolved ?? _axis;
    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }
    /// <summary>Whether beta is added.</summary>
    public bool Center { get; }
    /// <summary>Whether gamma multiplies.</summary>
    public bool Scale { get; }
    /// <summary>Beta initializer (zeros).</summary>
    public Initializer BetaInitializer { get; }
    /// <summary>Gamma initializer (ones).</summary>
    public Initializer GammaInitializer { get; }
    /// <summary>Beta penalty.</summary>
    public Regularizer? BetaRegularizer { get; }
    /// <summary>Gamma penalty.</summary>
    public Regularizer? GammaRegularizer { get; }

    /// <summary>Gamma (after building, when <see cref="Scale"/>).</summary>
    public Tensor? Gamma => _gamma;
    /// <summary>Beta (after building, when <see cref="Center"/>).</summary>
    public Tensor? Beta => _beta;

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        int rank = inputShape.Rank + 1;
        var axes = _axis.Select(a => a < 0 ? a + rank : a).Distinct().Order().ToArray();
        for (int i = 0; i < axes.Length; i++)
            if (axes[i] != rank - axes.Length + i || axes[i] < 1)
                throw new ArgumentException(
                    $"Layer '{Name}' (LayerNormalization): axis must name trailing feature axes of input of rank {rank}, got [{string.Join(", ", _axis)}] for shape {FormatShape(inputShape)}.");
        _resolved = axes;
        var shape = new Shape(axes.Select(a => inputShape[a - 1]).ToArray());
        if (Scale) _gamma = AddWeight("gamma", shape, GammaInitializer, GammaRegularizer);
        if (Center) _beta = AddWeight("beta", shape, BetaInitializer, BetaRegularizer);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) =>
        Ops.LayerNormalization(input, _gamma, _beta, _resolved, (float)Epsilon);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = new JsonArray(Axis.Select(a => (JsonNode)a).ToArray());
        c["epsilon"] = Epsilon;
        c["center"] = Center;
        c["scale"] = Scale;
        c["beta_initializer"] = LayerConfig.Serialize(BetaInitializer);
        c["gamma_initializer"] = LayerConfig.Serialize(GammaInitializer);
        c["beta_regularizer"] = LayerConfig.Serialize(BetaRegularizer);
        c["gamma_regularizer"] = LayerConfig.Serialize(GammaRegularizer);
        c["beta_constraint"] = null;
        c["gamma_constraint"] = null;
        return c;
    }

    /// <summary>Recreates the layer from its config.</summary>
    public static LayerNormalization FromConfig(JsonObject c) => new(
        c["axis"] is null ? default : Dims.FromJson(c["axis"], "LayerNormalization", "axis"),
        (double?)c["epsilon"] ?? 1e-3, (bool?)c["center"] ?? true, (bool?)c["scale"] ?? true,
        LayerConfig.Initializer(c["beta_initializer"]), LayerConfig.Initializer(c["gamma_initializer"]),
        LayerConfig.Regularizer(c["beta_regularizer"]), LayerConfig.Regularizer(c["gamma_regularizer"]), name: (string?)c["name"]);
}
