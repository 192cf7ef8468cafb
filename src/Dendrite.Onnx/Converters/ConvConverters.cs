using Dendrite.Autodiff;
using Dendrite.Layers;
using Dendrite.Onnx.Protobuf;

namespace Dendrite.Onnx.Converters;

/// <summary>
/// The convolution layers: ONNX convolutions are channels-first, so each becomes Transpose (to NCHW / NCW), Conv or
/// ConvTranspose with explicit pads and the kernel transposed from Keras's layout to ONNX's (out, in, kh, kw), Transpose
/// back, then the activation. SeparableConv2D is a depthwise Conv (group = channels) followed by a 1x1 Conv.
/// </summary>
internal static class ConvConverters
{
    public static string Conv(LayerCall c, OnnxGraph g)
    {
        var l = (BaseConv)c.Layer;
        int rank = l.KernelSize.Length;
        var pads = Pads(c.InputShapes[0], c.OutputShape, l.KernelSize, l.Strides, l.DilationRate, l.Padding);
        string w = g.Weight(Permuted(l.Kernel, l.Kernel.Shape, rank));
        string y = ConvNode(g, c.Output, "Conv", ToChannelsFirst(c, g, rank), w, l.Bias, l.KernelSize, l.Strides, l.DilationRate, pads, l.Groups);
        return Finish(c, g, y, rank, l.Activation, l);
    }

    public static string DepthwiseConv2D(LayerCall c, OnnxGraph g)
    {
        var l = (DepthwiseConv2D)c.Layer;
        var pads = Pads(c.InputShapes[0], c.OutputShape, l.KernelSize, l.Strides, l.DilationRate, l.Padding);
        int ch = c.InputShapes[0][^1];
        // (kh, kw, c, dm) holds the same values as a grouped kernel (kh, kw, 1, c * dm).
        string w = g.Weight(Permuted(l.Kernel, [l.KernelSize[0], l.KernelSize[1], 1, ch * l.DepthMultiplier], 2));
        string y = ConvNode(g, c.Output, "Conv", ToChannelsFirst(c, g, 2), w, l.Bias, l.KernelSize, l.Strides, l.DilationRate, pads, ch);
        return Finish(c, g, y, 2, l.Activation, l);
    }

    public static string SeparableConv2D(LayerCall c, OnnxGraph g)
    {
        var l = (SeparableConv2D)c.Layer;
        var pads = Pads(c.InputShapes[0], c.OutputShape, l.KernelSize, l.Strides, l.DilationRate, l.Padding);
        int ch = c.InputShapes[0][^1];
        string dw = g.Weight(Permuted(l.DepthwiseKernel, [l.KernelSize[0], l.KernelSize[1], 1, ch * l.DepthMultiplier], 2));
        string depthwise = ConvNode(g, c.Output, "DepthwiseConv", ToChannelsFirst(c, g, 2), dw, null, l.KernelSize, l.Strides, l.DilationRate, pads, ch);
        string pw = g.Weight(Permuted(l.PointwiseKernel, l.PointwiseKernel.Shape, 2));
        string y = ConvNode(g, c.Output, "PointwiseConv", depthwise, pw, l.Bias, [1, 1], [1, 1], [1, 1], [0, 0, 0, 0], 1);
        return Finish(c, g, y, 2, l.Activation, l);
    }

    public static string Conv2DTranspose(LayerCall c, OnnxGraph g)
    {
        var l = (Conv2DTranspose)c.Layer;
        ActivationConverter.Check(l.Activation, l);
        var input = c.InputShapes[0];
        long[] pads = new long[4], outputPadding = new long[2];
        for (int i = 0; i < 2; i++)
        {
            int ke = (l.KernelSize[i] - 1) * l.DilationRate[i] + 1;
            var (length, crop) = Ops.TransposeGeometry(input[i], l.KernelSize[i], l.Strides[i], l.DilationRate[i], l.Padding, l.OutputPadding?[i]);
            int end = (input[i] - 1) * l.Strides[i] + ke - crop - length;
            pads[i] = crop;
            pads[i + 2] = Math.Max(end, 0);
            outputPadding[i] = Math.Max(-end, 0);
        }
        // Keras (kh, kw, filters, in) -> ONNX ConvTranspose (in, filters, kh, kw).
        string w = g.Weight(Transposed(l.Kernel, l.Kernel.Shape, [3, 2, 0, 1]));
        string[] inputs = l.Bias is null ? [ToChannelsFirst(c, g, 2), w] : [ToChannelsFirst(c, g, 2), w, g.Weight(l.Bias)];
        string y = g.Node("ConvTranspose", inputs, g.Temp(c.Output, "ConvTranspose"),
            AttributeProto.Ints("kernel_shape", [.. l.KernelSize.Select(k => (long)k)]),
            AttributeProto.Ints("strides", [.. l.Strides.Select(s => (long)s)]),
            AttributeProto.Ints("dilations", [.. l.DilationRate.Select(d => (long)d)]),
            AttributeProto.Ints("pads", pads), AttributeProto.Ints("output_padding", outputPadding));
        return Finish(c, g, y, 2, l.Activation, l);
    }

    private static string ConvNode(OnnxGraph g, string scope, string op, string x, string w, Tensor? bias,
        int[] kernel, int[] strides, int[] dilations, long[] pads, int group)
    {
        string[] inputs = bias is null ? [x, w] : [x, w, g.Weight(bias)];
        return g.Node("Conv", inputs, g.Temp(scope, op),
            AttributeProto.Ints("kernel_shape", [.. kernel.Select(k => (long)k)]),
            AttributeProto.Ints("strides", [.. strides.Select(s => (long)s)]),
            AttributeProto.Ints("dilations", [.. dilations.Select(d => (long)d)]),
            AttributeProto.Ints("pads", pads), AttributeProto.Int("group", group));
    }

    /// <summary>ONNX pads (all begins, then all ends) reproducing Keras's valid / same / causal padding.</summary>
    private static long[] Pads(Shape input, Shape output, int[] kernel, int[] strides, int[] dilations, string padding)
    {
        int rank = kernel.Length;
        var pads = new long[2 * rank];
        for (int i = 0; i < rank; i++)
        {
            int ke = (kernel[i] - 1) * dilations[i] + 1;
            int before = ConvGeometry.PadBefore(input[i], kernel[i], strides[i], dilations[i], padding);
            pads[i] = before;
            pads[rank + i] = Math.Max(0, (output[i] - 1) * strides[i] + ke - input[i] - before);
        }
        return pads;
    }

    private static string ToChannelsFirst(LayerCall c, OnnxGraph g, int rank) =>
        g.Node("Transpose", [c.Input], g.Temp(c.Output, "ToChannelsFirst"), AttributeProto.Ints("perm", rank == 1 ? [0, 2, 1] : [0, 3, 1, 2]));

    private static string Finish(LayerCall c, OnnxGraph g, string y, int rank, ActivationFunction activation, Layer layer)
    {
        ActivationConverter.Check(activation, layer);
        string back = ActivationConverter.IsIdentity(activation) ? c.Output : g.Temp(c.Output, "ToChannelsLast");
        g.Node("Transpose", [y], back, AttributeProto.Ints("perm", rank == 1 ? [0, 2, 1] : [0, 2, 3, 1]));
        return ActivationConverter.Emit(activation, back, c.Output, g, layer);
    }

    /// <summary>A Keras (k..., in, out) kernel, viewed with <paramref name="shape"/>, as ONNX's (out, in, k...).</summary>
    private static Tensor Permuted(Tensor kernel, Shape shape, int rank) =>
        Transposed(kernel, shape, rank == 1 ? [2, 1, 0] : [3, 2, 0, 1]);

    private static Tensor Transposed(Tensor kernel, Shape shape, int[] perm)
    {
        using var _ = GradMode.NoGrad();
        var t = Ops.Transpose(Ops.Reshape(kernel.Clone(), shape), perm);
        t.Name = kernel.Name;
        return t;
    }
}
