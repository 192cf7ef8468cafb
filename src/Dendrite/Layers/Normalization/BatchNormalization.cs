using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// Batch normalization (Keras BatchNormalization): in training, normalizes each channel of <see cref="Axis"/> with the
/// batch's mean and biased variance and updates the moving statistics (moving * momentum + batch * (1 - momentum));
/// at inference, or when the layer is frozen (<see cref="Layer.Trainable"/> false), normalizes with the moving statistics.
/// y = (x - mean) * gamma / sqrt(variance + epsilon) + beta. Weights: gamma, beta (trainable), moving_mean, moving_variance.
/// </summary>
public sealed class BatchNormalization : Layer
{
    private Tensor? _gamma, _beta;
    private Tensor _movingMean = null!, _movingVariance = null!;

    /// <summary>Creates the layer with Keras's defaults.</summary>
    public BatchNormalization(int axis = -1, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true,
        Initializer? betaInitializer = null, Initializer? gammaInitializer = null,
        Initializer? movingMeanInitializer = null, Initializer? movingVarianceInitializer = null,
        Regularizer? betaRegularizer = null, Regularizer? gammaRegularizer = null,
        int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"Layer '{Name}' (BatchNormalization): momentum must be in [0, 1], got {momentum}.");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"Layer '{Name}' (BatchNormalization): epsilon must be positive, got {epsilon}.");
        Axis = axis;
        Momentum = momentum;
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
        BetaInitializer = betaInitializer ?? new Zeros();
        GammaInitializer = gammaInitializer ?? new Ones();
        MovingMeanInitializer = movingMeanInitializer ?? new Zeros();
        MovingVarianceInitializer = movingVarianceInitializer ?? new Ones();
        BetaRegularizer = betaRegularizer;
        GammaRegularizer = gammaRegularizer;
    }

    /// <inheritdoc/>
    public override string ClassName => "BatchNormalization";
    /// <summary>The channel axis (-1: the last).</summary>
    public int Axis { get; }
    /// <summary>Weight of the old value in the moving averages.</summary>
    public double Momentum { get; }
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
    /// <summary>Moving mean initializer (zeros).</summary>
    public Initializer MovingMeanInitializer { get; }
    /// <summary>Moving variance initializer (ones).</summary>
    public Initializer MovingVarianceInitializer { get; }
    /// <summary>Beta penalty.</summary>
    public Regularizer? BetaRegularizer { get; }
    /// <summary>Gamma penalty.</summary>
    public Regularizer? GammaRegularizer { get; }

    /// <summary>The moving mean (after building).</summary>
    public Tensor MovingMean => _movingMean;
    /// <summary>The moving variance (after building).</summary>
    public Tensor MovingVariance => _movingVariance;
    /// <summary>Gamma (after building, when <see cref="Scale"/>).</summary>
    public Tensor? Gamma => _gamma;
    /// <summary>Beta (after building, when <see cref="Center"/>).</summary>
    public Tensor? Beta => _beta;

    private int ResolvedAxis(int rank)
    {
        int a = Axis < 0 ? Axis + rank : Axis;
        if (a < 1 || a >= rank)
            throw new ArgumentException($"Layer '{Name}' (BatchNormalization): axis {Axis} is not a feature axis of input of rank {rank}.");
        return a;
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        int c = inputShape[ResolvedAxis(inputShape.Rank + 1) - 1];
        if (Scale) _gamma = AddWeight("gamma", [c], GammaInitializer, GammaRegularizer);
        if (Center) _beta = AddWeight("beta", [c], BetaInitializer, BetaRegularizer);
        _movingMean = AddWeight("moving_mean", [c], MovingMeanInitializer, trainable: false);
        _movingVariance = AddWeight("moving_variance", [c], MovingVarianceInitializer, trainable: false);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training)
    {
        int a = ResolvedAxis(input.Rank), last = input.Rank - 1;
        int[]? perm = null;
        var x = input;
        if (a != last)
        {
            perm = Enumerable.Range(0, input.Rank).ToArray();
            (perm[a], perm[last]) = (last, a);
            x = Ops.Transpose(x, perm);
        }
        var y = training && Trainable
            ? Ops.BatchNormalizationTraining(x, _gamma, _beta, (float)Epsilon, _movingMean, _movingVariance, (float)Momentum)
            : Ops.BatchNormalization(x, _movingMean, _movingVariance, _beta, _gamma, (float)Epsilon);
        return perm is null ? y : Ops.Transpose(y, perm);
    }

    /// <summary>The training forward (last axis, trainable) followed by LeakyReLU as one op, for the engine's
    /// <see cref="Models.TrainingFusion"/>.</summary>
    internal Tensor ForwardTrainingLeakyRelu(Tensor x, float slope) =>
        Ops.BatchNormalizationLeakyReluTraining(x, _gamma, _beta, (float)Epsilon, _movingMean, _movingVariance, (float)Momentum, slope);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = Axis;
        c["momentum"] = Momentum;
        c["epsilon"] = Epsilon;
        c["center"] = Center;
        c["scale"] = Scale;
        c["beta_initializer"] = LayerConfig.Serialize(BetaInitializer);
        c["gamma_initializer"] = LayerConfig.Serialize(GammaInitializer);
        c["moving_mean_initializer"] = LayerConfig.Serialize(MovingMeanInitializer);
        c["moving_variance_initializer"] = LayerConfig.Serialize(MovingVarianceInitializer);
        c["beta_regularizer"] = LayerConfig.Serialize(BetaRegularizer);
        c["gamma_regularizer"] = LayerConfig.Serialize(GammaRegularizer);
        c["beta_constraint"] = null;
        c["gamma_constraint"] = null;
        c["synchronized"] = false;
        return c;
    }

    /// <summary>Recreates the layer from its config (Keras 2's list-valued axis of one entry is accepted).</summary>
    public static BatchNormalization FromConfig(JsonObject c) => new(
        c["axis"] switch { null => -1, JsonArray { Count: 1 } a => (int)a[0]!, JsonArray a => throw new NotSupportedException($"BatchNormalization over several axes ({a.ToJsonString()}) is not supported."), var v => (int)v },
        (double?)c["momentum"] ?? 0.99, (double?)c["epsilon"] ?? 1e-3, (bool?)c["center"] ?? true, (bool?)c["scale"] ?? true,
        LayerConfig.Initializer(c["beta_initializer"]), LayerConfig.Initializer(c["gamma_initializer"]),
        LayerConfig.Initializer(c["moving_mean_initializer"]), LayerConfig.Initializer(c["moving_variance_initializer"]),
        LayerConfig.Regularizer(c["beta_regularizer"]), LayerConfig.Regularizer(c["gamma_regularizer"]), name: (string?)c["name"]);
}
