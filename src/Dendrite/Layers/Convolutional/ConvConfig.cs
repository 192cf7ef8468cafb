using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Config pieces the convolution layers share: window arguments, the channels-last data format, constraints.</summary>
internal static class ConvConfig
{
    /// <summary>Writes kernel_size (when given), strides, padding, data_format and dilation_rate as Keras does.</summary>
    public static void WriteWindow(JsonObject c, int[]? kernelSize, int[] strides, string padding, int[] dilationRate)
    {
        if (kernelSize is not null) c["kernel_size"] = Dims.ToJson(kernelSize);
        c["strides"] = Dims.ToJson(strides);
        c["padding"] = padding;
        c["data_format"] = "channels_last";
        c["dilation_rate"] = Dims.ToJson(dilationRate);
    }

    /// <summary>An optional int-or-list argument (default when absent or null).</summary>
    public static Dims Optional(JsonObject c, string key, string layer) => c[key] is null ? default : Dims.FromJson(c[key], layer, key);

    /// <summary>Throws for a channels-first config, which Dendrite's layers (channels-last) cannot run.</summary>
    public static void CheckDataFormat(JsonObject c, string layer)
    {
        var f = (string?)c["data_format"];
        if (f is not null and not "channels_last")
            throw new NotSupportedException($"{layer}: data_format \"{f}\" is not supported; Dendrite's convolutions are channels-last.");
    }

    /// <summary>Checks that strides and dilation are not both above 1 on any axis (Keras's rule).</summary>
    public static void CheckStridesDilation(int[] strides, int[] dilation, string layer)
    {
        if (strides.Any(s => s > 1) && dilation.Any(d => d > 1))
            throw new ArgumentException(
                $"Layer '{layer}': strides > 1 cannot be combined with dilation_rate > 1, got strides ({string.Join(", ", strides)}) and dilation_rate ({string.Join(", ", dilation)}).");
    }

    /// <summary>Throws unless a per-sample shape has rank spatial + 1 (channels-last).</summary>
    public static void CheckRank(Shape input, int spatial, string layer, string cls)
    {
        if (input.Rank != spatial + 1)
            throw new ArgumentException(
                $"Layer '{layer}' ({cls}) expects inputs of rank {spatial + 2} ({(spatial == 1 ? "batch, steps, channels" : "batch, height, width, channels")}), " +
                $"got input shape {Layer.FormatShape(input)}.");
    }
}
