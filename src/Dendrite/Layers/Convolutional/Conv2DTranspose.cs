using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// A transposed 2-D convolution layer (Keras Conv2DTranspose), channels-last: the gradient of a convolution with respect to
/// its input, kernel of shape (kh, kw, filters, channels) (output channels first, as Keras lays it out), then bias and
/// activation. Output sizes as Keras: "valid" (n - 1) * s + k, "same" n * s, or set by <c>outputPadding</c>.
/// </summary>
public sealed class Conv2DTranspose : Layer
{
    private Tensor _kernel = null!;
    private Tensor? _bias;
    private readonly int[]? _outputPadding;

    /// <summary>Creates the layer; <paramref name="kernelSize"/>, <paramref name="strides"/> (default 1), <paramref name="outputPadding"/>
    /// (default none) and <paramref name="dilationRate"/> (default 1) take an int or one value per axis.</summary>
    public Conv2DTranspose(int filters, Dims kernelSize, Dims strides = default, string padding = "valid", Dims outputPadding = default,
        Dims dilationRate = default, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (filters <= 0) throw new ArgumentException($"Layer '{Name}' (Conv2DTranspose): filters must be positive, got {filters}.", nameof(filters));
        Filters = filters;
        KernelSize = kernelSize.Expand(2, Name, "kernel_size");
        Strides = strides.IsEmpty ? [1, 1] : strides.Expand(2, Name, "strides");
        Padding = ConvGeometry.CheckPadding(padding, Name);
        DilationRate = dilationRate.IsEmpty ? [1, 1] : dilationRate.Expand(2, Name, "dilation_rate");
        ConvConfig.CheckStridesDilation(Strides, DilationRate, Name);
        if (!outputPadding.IsEmpty)
        {
            _outputPadding = outputPadding.Expand(2, Name, "output_padding", minimum: 0);
            for (int i = 0; i < 2; i++)
                if (_outputPadding[i] >= Strides[i])
                    throw new ArgumentException(
                        $"Layer '{Name}' (Conv2DTranspose): output_padding must be smaller than strides, got output_padding {outputPadding} and strides ({Strides[0]}, {Strides[1]}).",
                        nameof(outputPadding));
        }
        Activation = activation ?? Activations.Linear;
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
        ActivityRegularizer = activityRegularizer;
    }

    /// <inheritdoc/>
    public override string ClassName => "Conv2DTranspose";
    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>The window size per spatial axis.</summary>
    public int[] KernelSize { get; }
    /// <summary>The step per spatial axis (the upsampling factor).</summary>
    public int[] Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>Extra output rows and columns at the end, or null (Keras's None).</summary>
    public IReadOnlyList<int>? OutputPadding => _outputPadding;
    /// <summary>The spacing of kernel taps per spatial axis.</summary>
    public int[] DilationRate { get; }
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
    /// <summary>The (kh, kw, filters, channels) kernel (after building).</summary>
    public Tensor Kernel => _kernel;
    /// <summary>The bias (after building, when used).</summary>
    public Tensor? Bias => _bias;

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        ComputeOutputShape(inputShape);
        _kernel = AddWeight("kernel", [KernelSize[0], KernelSize[1], Filters, inputShape[^1]], KernelInitializer, KernelRegularizer);
        if (UseBias) _bias = AddWeight("bias", [Filters], BiasInitializer, BiasRegularizer);
    }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        ConvConfig.CheckRank(inputShape, 2, Name, ClassName);
        int h = Ops.TransposeGeometry(inputShape[0], KernelSize[0], Strides[0], DilationRate[0], Padding, _outputPadding?[0]).Length;
        int w = Ops.TransposeGeometry(inputShape[1], KernelSize[1], Strides[1], DilationRate[1], Padding, _outputPadding?[1]).Length;
        return new Shape(h, w, Filters);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) =>
        Ops.BiasActivation(Ops.ConvTranspose(input, _kernel, Strides, Padding, _outputPadding ?? default(Dims), DilationRate), _bias, Activation);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["filters"] = Filters;
        ConvConfig.WriteWindow(c, KernelSize, Strides, Padding, DilationRate);
        c["output_padding"] = _outputPadding is null ? null : Dims.ToJson(_outputPadding);
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

    /// <summary>Recreates a layer from <see cref="GetConfig"/>'s output (or a Keras file's config).</summary>
    public static Conv2DTranspose FromConfig(JsonObject c)
    {
        ConvConfig.CheckDataFormat(c, "Conv2DTranspose");
        return new((int)LayerConfig.Required(c, "filters", "Conv2DTranspose"), Dims.FromJson(c["kernel_size"], "Conv2DTranspose", "kernel_size"),
            ConvConfig.Optional(c, "strides", "Conv2DTranspose"), (string?)c["padding"] ?? "valid",
            ConvConfig.Optional(c, "output_padding", "Conv2DTranspose"), ConvConfig.Optional(c, "dilation_rate", "Conv2DTranspose"),
            Activations.Get((string?)c["activation"] ?? "linear"), (bool?)c["use_bias"] ?? true,
            LayerConfig.Initializer(c["kernel_initializer"]), LayerConfig.Initializer(c["bias_initializer"]),
            LayerConfig.Regularizer(c["kernel_regularizer"]), LayerConfig.Regularizer(c["bias_regularizer"]),
            LayerConfig.Regularizer(c["activity_regularizer"]), name: (string?)c["name"]);
    }
}
