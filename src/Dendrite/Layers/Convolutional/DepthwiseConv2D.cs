using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// A depthwise 2-D convolution layer (Keras DepthwiseConv2D), channels-last: each input channel convolved with its own
/// <c>depthMultiplier</c> filters, kernel (kh, kw, channels, depth_multiplier) (Keras 3 names it "kernel"), output channel
/// c * depth_multiplier + m, then bias (channels * depth_multiplier) and activation.
/// </summary>
public sealed class DepthwiseConv2D : Layer
{
    private Tensor _kernel = null!;
    private Tensor? _bias;

    /// <summary>Creates the layer; <paramref name="kernelSize"/>, <paramref name="strides"/> (default 1) and <paramref name="dilationRate"/> (default 1) take an int or one value per axis.</summary>
    public DepthwiseConv2D(Dims kernelSize, Dims strides = default, string padding = "valid", int depthMultiplier = 1, Dims dilationRate = default,
        ActivationFunction? activation = null, bool useBias = true, Initializer? depthwiseInitializer = null, Initializer? biasInitializer = null,
        Regularizer? depthwiseRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (depthMultiplier <= 0)
            throw new ArgumentException($"Layer '{Name}' (DepthwiseConv2D): depth_multiplier must be positive, got {depthMultiplier}.", nameof(depthMultiplier));
        KernelSize = kernelSize.Expand(2, Name, "kernel_size");
        Strides = strides.IsEmpty ? [1, 1] : strides.Expand(2, Name, "strides");
        Padding = ConvGeometry.CheckPadding(padding, Name);
        DilationRate = dilationRate.IsEmpty ? [1, 1] : dilationRate.Expand(2, Name, "dilation_rate");
        ConvConfig.CheckStridesDilation(Strides, DilationRate, Name);
        DepthMultiplier = depthMultiplier;
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        DepthwiseInitializer = depthwiseInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        DepthwiseRegularizer = depthwiseRegularizer;
        BiasRegularizer = biasRegularizer;
        ActivityRegularizer = activityRegularizer;
    }

    /// <inheritdoc/>
    public override string ClassName => "DepthwiseConv2D";
    /// <summary>The window size per spatial axis.</summary>
    public int[] KernelSize { get; }
    /// <summary>The step per spatial axis.</summary>
    public int[] Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>Filters per input channel.</summary>
    public int DepthMultiplier { get; }
    /// <summary>The spacing of kernel taps per spatial axis.</summary>
    public int[] DilationRate { get; }
    /// <summary>The activation applied after the bias.</summary>
    public ActivationFunction Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Kernel initializer (glorot_uniform).</summary>
    public Initializer DepthwiseInitializer { get; }
    /// <summary>Bias initializer (zeros).</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Kernel penalty.</summary>
    public Regularizer? DepthwiseRegularizer { get; }
    /// <summary>Bias penalty.</summary>
    public Regularizer? BiasRegularizer { get; }
    /// <summary>The (kh, kw, channels, depth_multiplier) kernel (after building).</summary>
    public Tensor Kernel => _kernel;
    /// <summary>The bias (after building, when used).</summary>
    public Tensor? Bias => _bias;

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        ComputeOutputShape(inputShape);
        _kernel = AddWeight("kernel", [KernelSize[0], KernelSize[1], inputShape[^1], DepthMultiplier], DepthwiseInitializer, DepthwiseRegularizer);
        if (UseBias) _bias = AddWeight("bias", [inputShape[^1] * DepthMultiplier], BiasInitializer, BiasRegularizer);
    }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        ConvConfig.CheckRank(inputShape, 2, Name, ClassName);
        return new Shape(
            ConvGeometry.OutputLength(inputShape[0], KernelSize[0], Strides[0], DilationRate[0], Padding, Name),
            ConvGeometry.OutputLength(inputShape[1], KernelSize[1], Strides[1], DilationRate[1], Padding, Name),
            inputShape[2] * DepthMultiplier);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) =>
        Ops.BiasActivation(Ops.DepthwiseConv(input, _kernel, Strides, Padding, DilationRate), _bias, Activation);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["kernel_size"] = Dims.ToJson(KernelSize);
        c["strides"] = Dims.ToJson(Strides);
        c["padding"] = Padding;
        c["depth_multiplier"] = DepthMultiplier;
        c["data_format"] = "channels_last";
        c["dilation_rate"] = Dims.ToJson(DilationRate);
        c["activation"] = Activation.Name;
        c["use_bias"] = UseBias;
        c["depthwise_initializer"] = LayerConfig.Serialize(DepthwiseInitializer);
        c["bias_initializer"] = LayerConfig.Serialize(BiasInitializer);
        c["depthwise_regularizer"] = LayerConfig.Serialize(DepthwiseRegularizer);
        c["bias_regularizer"] = LayerConfig.Serialize(BiasRegularizer);
        c["activity_regularizer"] = LayerConfig.Serialize(ActivityRegularizer);
        c["depthwise_constraint"] = null;
        c["bias_constraint"] = null;
        return c;
    }

    /// <summary>Recreates a layer from <see cref="GetConfig"/>'s output (or a Keras file's config).</summary>
    public static DepthwiseConv2D FromConfig(JsonObject c)
    {
        ConvConfig.CheckDataFormat(c, "DepthwiseConv2D");
        return new(Dims.FromJson(c["kernel_size"], "DepthwiseConv2D", "kernel_size"), ConvConfig.Optional(c, "strides", "DepthwiseConv2D"),
            (string?)c["padding"] ?? "valid", (int?)c["depth_multiplier"] ?? 1, ConvConfig.Optional(c, "dilation_rate", "DepthwiseConv2D"),
            Activations.Get((string?)c["activation"] ?? "linear"), (bool?)c["use_bias"] ?? true,
            LayerConfig.Initializer(c["depthwise_initializer"]), LayerConfig.Initializer(c["bias_initializer"]),
            LayerConfig.Regularizer(c["depthwise_regularizer"]), LayerConfig.Regularizer(c["bias_regularizer"]),
            LayerConfig.Regularizer(c["activity_regularizer"]), name: (string?)c["name"]);
    }
}
