using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// A densely connected layer: activation(x · kernel + bias), kernel of shape (input_dim, units), glorot_uniform kernel
/// and zero bias by default (Keras Dense). Inputs of rank above 2 are multiplied on their last axis.
/// </summary>
public sealed class Dense : Layer
{
    private Tensor _kernel = null!;
    private Tensor? _bias;
    private readonly PackedWeight _packedKernel = new();

    /// <summary>Creates the layer; <paramref name="activation"/> takes a name ("relu") or an <see cref="ActivationFunction"/>.</summary>
    public Dense(int units, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), $"Dense needs a positive number of units, got {units}.");
        Units = units;
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
        ActivityRegularizer = activityRegularizer;
    }

    /// <inheritdoc/>
    public override string ClassName => "Dense";
    /// <summary>Output width.</summary>
    public int Units { get; }
    /// <summary>The activation applied to the affine result.</summary>
    public ActivationFunction Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Kernel initializer.</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Kernel penalty.</summary>
    public Regularizer? KernelRegularizer { get; }
    /// <summary>Bias penalty.</summary>
    public Regularizer? BiasRegularizer { get; }

    /// <summary>The (input_dim, units) kernel (after building).</summary>
    public Tensor Kernel => _kernel;
    /// <summary>The bias (after building, when used).</summary>
    public Tensor? Bias => _bias;

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        if (inputShape.Rank == 0) throw new ArgumentException($"Layer '{Name}' (Dense) needs inputs with a feature axis, got per-sample shape {inputShape}.");
        _kernel = AddWeight("kernel", [inputShape[^1], Units], KernelInitializer, KernelRegularizer);
        if (UseBias) _bias = AddWeight("bias", [Units], BiasInitializer, BiasRegularizer);
    }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape) => inputShape.With(-1, Units);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => Ops.Dense(input, _kernel, _bias, Activation, _packedKernel);

    /// <summary>The kernel's packed panels for inference (tests count the packs).</summary>
    internal PackedWeight PackedKernel => _packedKernel;

    /// <summary>As <see cref="BaseConv"/>'s: this layer (linear activation), an inference <paramref name="norm"/> and
    /// <paramref name="activation"/> as one product with the normalization folded into the kernel and bias.</summary>
    internal Tensor ForwardFolded(Tensor input, BatchNormalization norm, ActivationFunction activation)
    {
        var (kernel, bias) = Ops.FoldBatchNorm(_kernel, _bias, norm.MovingMean, norm.MovingVariance, norm.Gamma, norm.Beta, (float)norm.Epsilon);
        return Ops.Dense(input, kernel, bias, activation);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["units"] = Units;
        c["activation"] = Activation.Name;
        c["use_bias"] = UseBias;
        c["kernel_initializer"] = LayerConfig.Serialize(KernelInitializer);
        c["bias_initializer"] = LayerConfig.Serialize(BiasInitializer);
        c["kernel_regularizer"] = LayerConfig.Serialize(KernelRegularizer);
        c["bias_regularizer"] = LayerConfig.Serialize(BiasRegularizer);
        c["activity_regularizer"] = LayerConfig.Serialize(ActivityRegularizer);
        return c;
    }

    /// <summary>Recreates a layer from <see cref="GetConfig"/>'s output.</summary>
    public static Dense FromConfig(JsonObject c) => new(
        (int)LayerConfig.Required(c, "units", "Dense"), Activations.Get((string?)c["activation"] ?? "linear"), (bool?)c["use_bias"] ?? true,
        LayerConfig.Initializer(c["kernel_initializer"]), LayerConfig.Initializer(c["bias_initializer"]),
        LayerConfig.Regularizer(c["kernel_regularizer"]), LayerConfig.Regularizer(c["bias_regularizer"]),
        LayerConfig.Regularizer(c["activity_regularizer"]), name: (string?)c["name"]);
}
