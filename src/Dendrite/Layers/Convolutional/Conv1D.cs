using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// A 1-D convolution layer (Keras Conv1D), channels-last: activation(conv(x, kernel) + bias) with a kernel of shape
/// (kernel_size, channels / groups, filters); padding "valid", "same" or "causal" (zeros before the sequence only).
/// </summary>
public sealed class Conv1D : BaseConv
{
    /// <summary>Creates the layer; <paramref name="kernelSize"/>, <paramref name="strides"/> (default 1) and <paramref name="dilationRate"/> (default 1) take an int or one value per axis.</summary>
    public Conv1D(int filters, Dims kernelSize, Dims strides = default, string padding = "valid", Dims dilationRate = default, int groups = 1,
        ActivationFunction? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        int[]? inputShape = null, string? name = null)
        : base(1, filters, kernelSize, strides, padding, dilationRate, groups, activation, useBias, kernelInitializer, biasInitializer,
            kernelRegularizer, biasRegularizer, activityRegularizer, inputShape, name)
    {
    }

    /// <inheritdoc/>
    public override string ClassName => "Conv1D";

    /// <summary>Recreates a layer from <see cref="BaseConv.GetConfig"/>'s output (or a Keras file's config).</summary>
    public static Conv1D FromConfig(JsonObject c)
    {
        ConvConfig.CheckDataFormat(c, "Conv1D");
        return new((int)LayerConfig.Required(c, "filters", "Conv1D"), Dims.FromJson(c["kernel_size"], "Conv1D", "kernel_size"),
            ConvConfig.Optional(c, "strides", "Conv1D"), (string?)c["padding"] ?? "valid", ConvConfig.Optional(c, "dilation_rate", "Conv1D"),
            (int?)c["groups"] ?? 1, Activations.Get((string?)c["activation"] ?? "linear"), (bool?)c["use_bias"] ?? true,
            LayerConfig.Initializer(c["kernel_initializer"]), LayerConfig.Initializer(c["bias_initializer"]),
            LayerConfig.Regularizer(c["kernel_regularizer"]), LayerConfig.Regularizer(c["bias_regularizer"]),
            LayerConfig.Regularizer(c["activity_regularizer"]), name: (string?)c["name"]);
    }
}
