using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// A depthwise-separable 2-D convolution layer (Keras SeparableConv2D), channels-last: a depthwise convolution (strides,
/// padding and dilation apply here; kernel (kh, kw, channels, depth_multiplier)), then a 1x1 convolution (pointwise kernel
/// (1, 1, channels * depth_multiplier, filters)), then bias and activation.
/// </summary>
public sealed class SeparableConv2D : Layer
{
    private Tensor _depthwise = null!, _pointwise = null!;
    private Tensor? _bias;

    /// <summary>Creates the layer; <paramref name="kernelSize"/>, <paramref name="strides"/> (default 1) and <paramref name="dilationRate"/> (default 1) take an int or one value per axis.</summary>
    public SeparableConv2D(int filters, Dims kernelSize, Dims strides = default, string padding = "valid", Dims dilationRate = default,
        int depthMultiplier = 1, ActivationFunction? activation = null, bool useBias = true,
        Initializer? depthwiseInitializer = null, Initializer? pointwiseInitializer = null, Initializer? biasInitializer = null,
        Regularizer? depthwiseRegularizer = null, Regularizer? pointwiseRegularizer = null, Regularizer? biasRegularizer = null,
        Regularizer? activityRegularizer = null, int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (filters <= 0) throw new ArgumentException($"Layer '{Name}' (SeparableConv2D): filters must be positive, got {filters}.", nameof(filters));
        if (depthMultiplier <= 0)
            throw new ArgumentException($"Layer '{Name}' (SeparableConv2D): depth_multiplier must be positive, got {depthMultiplier}.", nameof(depthMultiplier));
        Filters = filters;
        KernelSize = kernelSize.Expand(2, Name, "kernel_size");
        Strides = strides.IsEmpty ? [1, 1] : strides.Expand(2, Name, "strides");
        Padding = ConvGeometry.CheckPadding(padding, Name);
        DilationRate = dilationRate.IsEmpty ? [1, 1] : dilationRate.Expand(2, Name, "dilation_rate");
        ConvConfig.CheckStridesDilation(Strides, DilationRate, Name);
        DepthMultiplier = depthMultiplier;
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        DepthwiseInitializer = depthwiseInitializer ?? new GlorotUniform();
        PointwiseInitializer = pointwiseInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        DepthwiseRegularizer = depthwiseRegularizer;
        PointwiseRegularizer = pointwiseRegularizer;
        BiasRegularizer = biasRegularizer;
        ActivityRegularizer = activityRegularizer;
    }

    /// <inheritdoc/>
    public override string ClassName => "SeparableConv2D";
    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>The window size per spatial axis.</summary>
    public int[] KernelSize { get; }
    /// <summary>The step per spatial axis.</summary>
    public int[] Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>The spacing of kernel taps per spatial axis.</summary>
    public int[] DilationRate { get; }
    /// <summary>Depthwise filters per input channel.</summary>
    public int DepthMultiplier { get; }
    /// <summary>The activation applied after the bias.</summary>
    public ActivationFunction Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Depthwise kernel initializer (glorot_uniform).</summary>
    public Initializer DepthwiseInitializer { get; }
    /// <summary>Pointwise kernel initializer (glorot_uniform).</summary>
    public Initializer PointwiseInitializer { get; }
    /// <summary>Bias initializer (zeros).</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Depthwise kernel penalty.</summary>
    public Regularizer? DepthwiseRegularizer { get; }
    /// <summary>Pointwise kernel penalty.</summary>
    public Regularizer? PointwiseRegularizer { get; }
    /// <summary>Bias penalty.</summary>
    public Regularizer? BiasRegularizer { get; }
    /// <summary>The (kh, kw, channels, depth_multiplier) depthwise kernel (after building).</summary>
    public Tensor DepthwiseKernel => _depthwise;
    /// <summary>The (1, 1, channels * depth_multiplier, filters) pointwise kernel (after building).</summary>
    public Tensor PointwiseKernel => _pointwise;
    /// <summary>The bias (after building, when used).</summary>
    public Tensor? Bias => _bias;

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        ComputeOutputShape(inputShape);
        int c = inputShape[^1];
        _depthwise = AddWeight("depthwise_kernel", [KernelSize[0], KernelSize[1], c, DepthMultiplier], DepthwiseInitializer, DepthwiseRegularizer);
        _pointwise = AddWeight("pointwise_kernel", [1, 1, c * DepthMultiplier, Filters], PointwiseInitializer, PointwiseRegularizer);
        if (UseBias) _bias = AddWeight("bias", [Filters], BiasInitializer, BiasRegularizer);
    }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        ConvConfig.CheckRank(inputShape, 2, Name, ClassName);
        return new Shape(
            ConvGeometry.OutputLength(inputShape[0], KernelSize[0], Strides[0], DilationRate[0], Padding, Name),
            ConvGeometry.OutputLength(inputShape[1], KernelSize[1], Strides[1], DilationRate[1], Padding, Name),
            Filters);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training)
    {
        var depthwise = Ops.DepthwiseConv(input, _depthwise, Strides, Padding, DilationRate);
        return Ops.BiasActivation(Ops.Conv(depthwise, _pointwise), _bias, Activation);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["filters"] = Filters;
        ConvConfig.WriteWindow(c, KernelSize, Strides, Padding, DilationRate);
        c["depth_multiplier"] = DepthMultiplier;
        c["activation"] = Activation.Name;
        c["use_bias"] = UseBias;
        c["depthwise_initializer"] = LayerConfig.Serialize(DepthwiseInitializer);
        c["pointwise_initializer"] = LayerConfig.Serialize(PointwiseInitializer);
        c["bias_initializer"] = LayerConfig.Serialize(BiasInitializer);
        c["depthwise_regularizer"] = LayerConfig.Serialize(DepthwiseRegularizer);
        c["pointwise_regularizer"] = LayerConfig.Serialize(PointwiseRegularizer);
        c["bias_regularizer"] = LayerConfig.Serialize(BiasRegularizer);
        c["activity_regularizer"] = LayerConfig.Serialize(ActivityRegularizer);
        c["depthwise_constraint"] = null;
        c["pointwise_constraint"] = null;
        c["bias_constraint"] = null;
        return c;
    }

    /// <summary>Recreates a layer from <see cref="GetConfig"/>'s output (or a Keras file's config).</summary>
    public static SeparableConv2D FromConfig(JsonObject c)
    {
        ConvConfig.CheckDataFormat(c, "SeparableConv2D");
        return new((int)LayerConfig.Required(c, "filters", "SeparableConv2D"), Dims.FromJson(c["kernel_size"], "SeparableConv2D", "kernel_size"),
            ConvConfig.Optional(c, "strides", "SeparableConv2D"), (string?)c["padding"] ?? "valid",
            ConvConfig.Optional(c, "dilation_rate", "SeparableConv2D"), (int?)c["depth_multiplier"] ?? 1,
            Activations.Get((string?)c["activation"] ?? "linear"), (bool?)c["use_bias"] ?? true,
            LayerConfig.Initializer(c["depthwise_initializer"]), LayerConfig.Initializer(c["pointwise_initializer"]),
            LayerConfig.Initializer(c["bias_initializer"]), LayerConfig.Regularizer(c["depthwise_regularizer"]),
            LayerConfig.Regularizer(c["pointwise_regularizer"]), LayerConfig.Regularizer(c["bias_regularizer"]),
            LayerConfig.Regularizer(c["activity_regularizer"]), name: (string?)c["name"]);
    }
}
