namespace Dendrite.Layers;

/// <summary>
/// Output sizes and paddings of convolution and pooling windows, as Keras (TensorFlow) computes them: "valid" uses only
/// whole windows; "same" gives ceil(input / stride) outputs and puts the odd padding element at the end; "causal"
/// (Conv1D) pads only at the start.
/// </summary>
internal static class ConvGeometry
{
    /// <summary>Checks a padding name; throws naming the layer and the value.</summary>
    public static string CheckPadding(string padding, string layer, bool allowCausal = false)
    {
        ArgumentNullException.ThrowIfNull(padding);
        var p = padding.ToLowerInvariant();
        if (p is "valid" or "same" || (allowCausal && p == "causal")) return p;
        throw new ArgumentException(
            $"Layer '{layer}': padding must be {(allowCausal ? "\"valid\", \"same\" or \"causal\"" : "\"valid\" or \"same\"")}, got \"{padding}\".", nameof(padding));
    }

    /// <summary>The extent a dilated window covers: (kernel - 1) * dilation + 1.</summary>
    public static int Effective(int kernel, int dilation) => (kernel - 1) * dilation + 1;

    /// <summary>The output length along one axis; throws when the window does not fit a "valid" input.</summary>
    public static int OutputLength(int input, int kernel, int stride, int dilation, string padding, string layer)
    {
        int k = Effective(kernel, dilation);
        if (padding is "same" or "causal") return (input + stride - 1) / stride;
        if (input < k)
            throw new ArgumentException($"Layer '{layer}': the window ({k} with dilation) is larger than the input ({input}) with padding \"valid\".");
        return (input - k) / stride + 1;
    }

    /// <summary>The padding before the first element along one axis (the rest goes after).</summary>
    public static int PadBefore(int input, int kernel, int stride, int dilation, string padding)
    {
        int k = Effective(kernel, dilation);
        if (padding == "causal") return k - 1;
        if (padding != "same") return 0;
        int output = (input + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + k - input, 0);
        return total / 2;
    }
}
