using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// A 2-D convolution layer (Keras Conv2D), channels-last: activation(conv(x, kernel) + bias) with a kernel of shape
/// (kh, kw, channels / groups, filters); padding "valid" or "same" (the odd padding row/column at the end).
/// </summary>
public sealed class Conv2D : BaseConv
{
    /// <summary>Creates the layer; <paramref name="kernelSize"/>, <paramref name="strides"/> (default 1) and <paramref name="dilationRate"/> (default 1) take an int or one value per axis.</summary>
    public Conv2D(int filters, Dims kernelSize, Dims strides = default, string padding = "valid", Dims dilationRate = default, int groups = 1,
        ActivationFunction? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        int[]? inputShape = null, string? name = null)
        : base(2, filters, kernelSize, strides, padding, dilationRate, groups, activation, useBias, kernelInitializer, biasInitializer,
            kernelRegularizer, biasRegularizer, activityRegularizer, inputShape, name)
    {
    }

    /// <inheritdoc/>
    public override string ClassName => "Conv2D";

    /// <summary>Recreates a layer from <see cref="BaseConv.GetConfig"/>'s output (or a Keras file's config).</summary>
    public static Conv2D FromConfig(JsonObject c)
    {
        ConvConfig.CheckDataFormat(c, "Conv2D");
        return new((int)LayerConfig.Required(c, "filters", "Conv2D"), Dims.FromJson(c["kernel_size"], "Conv2D", "kernel_size"),
            ConvConfig.Optional(c, "strides", "Conv2D"), (string?)c["padding"] ?? "valid", ConvConfig.Optional(c, "dilation_rate", "Conv2D"),
            (int?)c["groups"] ?? 1, Activations.Get((string?)c["activation"] ?? "linear"), (bool?)c["use_bias"] ?? true,
            LayerConfig.Initializer(c["kernel_initializer"]), LayerConfig.Initializer(c["bias_initializer"]),
            LayerConfig.Regularizer(c["kernel_regularizer"]), LayerConfig.Regularizer(c["bias_regularizer"]),
            LayerConfig.Regularizer(c["activity_regularizer"]), name: (string?)c["name"]);
    }
}
