using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// What <see cref="Conv1D"/> and <see cref="Conv2D"/> share (Keras BaseConv): channels-last convolution with a kernel
/// (kernel_size..., channels / groups, filters), then bias and activation.
/// </summary>
public abstract class BaseConv : Layer
{
    private Tensor _kernel = null!;
    private Tensor? _bias;
    private readonly int _rank;

    private protected BaseConv(int rank, int filters, Dims kernelSize, Dims strides, string padding, Dims dilationRate, int groups,
        ActivationFunction? activation, bool useBias, Initializer? kernelInitializer, Initializer? biasInitializer,
        Regularizer? kernelRegularizer, Regularizer? biasRegularizer, Regularizer? activityRegularizer, int[]? inputShape, string? name)
        : base(name, inputShape)
    {
        _rank = rank;
        if (filters <= 0) throw new ArgumentException($"Layer '{Name}' ({ClassName}): filters must be positive, got {filters}.", nameof(filters));
        if (groups <= 0 || filters % groups != 0)
            throw new ArgumentException($"Layer '{Name}' ({ClassName}): groups must be positive and divide filters ({filters}), got {groups}.", nameof(groups));
        Filters = filters;
        KernelSize = kernelSize.Expand(rank, Name, "kernel_size");
        Strides = strides.IsEmpty ? Dims.Filled(1, rank) : strides.Expand(rank, Name, "strides");
        Padding = ConvGeometry.CheckPadding(padding, Name, allowCausal: rank == 1);
        DilationRate = dilationRate.IsEmpty ? Dims.Filled(1, rank) : dilationRate.Expand(rank, Name, "dilation_rate");
        ConvConfig.CheckStridesDilation(Strides, DilationRate, Name);
        Groups = groups;
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
        ActivityRegularizer = activityRegularizer;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>The window size per spatial axis.</summary>
    public int[] KernelSize { get; }
    /// <summary>The step per spatial axis.</summary>
    public int[] Strides { get; }
    /// <summary>"valid", "same" or (Conv1D) "causal".</summary>
    public string Padding { get; }
    /// <summary>The spacing of kernel taps per spatial axis.</summary>
    public int[] DilationRate { get; }
    /// <summary>Channel groups convolved separately.</summary>
    public int Groups { get; }
    /// <summary>The activation applied after the bias.</summary>
    public ActivationFunction Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Kernel initializer (glorot_uniform).</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Bias initializer (zeros).</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Kernel penalty.</summary>
    public Regularizer? KernelRegularizer { get; }
    /// <summary>Bias penalty.</summary>
    public Regularizer? BiasRegularizer { get; }
    /// <summary>The (kernel_size..., channels / groups, filters) kernel (after building).</summary>
    public Tensor Kernel => _kernel;
    /// <summary>The bias (after building, when used).</summary>
    public Tensor? Bias => _bias;

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        ComputeOutputShape(inputShape);
        _kernel = AddWeight("kernel", [.. KernelSize, inputShape[^1] / Groups, Filters], KernelInitializer, KernelRegularizer);
        if (UseBias) _bias = AddWeight("bias", [Filters], BiasInitializer, BiasRegularizer);
    }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        ConvConfig.CheckRank(inputShape, _rank, Name, ClassName);
        int c = inputShape[^1];
        if (c % Groups != 0)
            throw new ArgumentException($"Layer '{Name}' ({ClassName}): groups ({Groups}) must divide the input channels, got {c} channels (input shape {FormatShape(inputShape)}).");
        var dims = new int[_rank + 1];
        for (int i = 0; i < _rank; i++)
            dims[i] = ConvGeometry.OutputLength(inputShape[i], KernelSize[i], Strides[i], DilationRate[i], Padding, Name);
        dims[_rank] = Filters;
        return new Shape(dims);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) =>
        Ops.ConvBiasActivation(input, _kernel, _bias, Activation, Strides, Padding, DilationRate);

    /// <summary>
    /// Prediction of this layer (linear activation) followed by an inference <paramref name="norm"/> (last axis) and
    /// <paramref name="activation"/>: one convolution with the normalization folded into the kernel and bias, then one
    /// bias + activation pass (the graph runner uses it when no gradient is recorded).
    /// </summary>
    internal Tensor ForwardFolded(Tensor input, BatchNormalization norm, ActivationFunction activation)
    {
        var (kernel, bias) = Ops.FoldBatchNorm(_kernel, _bias, norm.MovingMean, norm.MovingVariance, norm.Gamma, norm.Beta, (float)norm.Epsilon);
        return Ops.ConvBiasActivation(input, kernel, bias, activation, Strides, Padding, DilationRate);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["filters"] = Filters;
        ConvConfig.WriteWindow(c, KernelSize, Strides, Padding, DilationRate);
        // Keras orders strides, padding, data_format, dilation_rate, groups after kernel_size.
        c["groups"] = Groups;
        c["activation"] = Activation.Name;
        c["use_bias"] = UseBias;
        c["kernel_initializer"] = LayerConfig.Serialize(KernelInitializer);
        c["bias_initializer"] = LayerConfig.Serialize(BiasInitializer);
        c["kernel_regularizer"] = LayerConfig.Serialize(KernelRegularizer);
        c["bias_regularizer"] = LayerConfig.Serialize(BiasRegularizer);
        c["activity_regularizer"] = LayerConfig.Serialize(ActivityRegularizer);
        c["kernel_constraint"] = null;
        c["bias_constraint"] = null;
        return c;
    }
}
