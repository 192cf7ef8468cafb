using Dendrite.Autodiff;
using Dendrite.Backends;
using Dendrite.Layers;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// A 1-D (x (batch, steps, channels), kernel (k, channels / groups, filters)) or 2-D (x (batch, h, w, channels),
    /// kernel (kh, kw, channels / groups, filters)) convolution, channels-last, as Keras's <c>ops.conv</c>: cross-correlation,
    /// "valid", "same" (the odd padding element at the end) or, in 1-D, "causal" padding; the groups are
    /// channels / kernel's input channels.
    /// </summary>
    public static Tensor Conv(Tensor x, Tensor kernel, Dims strides = default, string padding = "valid", Dims dilationRate = default)
    {
        var (spec, outShape) = ConvSpecOf(x, kernel, strides, padding, dilationRate);
        return ConvCore(x, kernel, spec, outShape);
    }

    /// <summary>
    /// activation(conv(x, kernel) + bias), as <see cref="Conv"/> then <see cref="BiasActivation"/>; when nothing is
    /// recorded (prediction) and the activation is elementwise, one backend call that can apply the bias and activation
    /// inside the convolution (no pass over its output). In training, a linear convolution with a bias (the one before a
    /// BatchNormalization) also adds its bias inside the convolution: one tape node whose backward is the convolution's
    /// plus the bias gradient (the same values as the two ops).
    /// </summary>
    internal static Tensor ConvBiasActivation(Tensor x, Tensor kernel, Tensor? bias, ActivationFunction activation,
        Dims strides, string padding, Dims dilationRate)
    {
        bool record = GradMode.IsEnabled && (x.RequiresGrad || kernel.RequiresGrad || bias is { RequiresGrad: true });
        if (record && activation.IsLinear && bias is not null)
        {
            var (s, shape) = ConvSpecOf(x, kernel, strides, padding, dilationRate);
            var z = Tensor.Empty(shape);
            B.Conv2DBiasActivation(x, kernel, bias, null, 0f, z, s);
            if (Tape.Record(z, "conv_bias", ConvBiasBackward, x, kernel, bias) is { } node) node.Spec = s;
            return z;
        }
        if (record || (activation.Elementwise is null && !activation.IsLinear))
            return BiasActivation(Conv(x, kernel, strides, padding, dilationRate), bias, activation);
        var (spec, outShape) = ConvSpecOf(x, kernel, strides, padding, dilationRate);
        var y = Tensor.Empty(outShape);
        B.Conv2DBiasActivation(x, kernel, bias, activation.IsLinear ? null : activation.Elementwise, activation.Alpha, y, spec);
        return y;
    }

    private static (ConvSpec Spec, Shape OutShape) ConvSpecOf(Tensor x, Tensor kernel, Dims strides, string padding, Dims dilationRate)
    {
        int rank = SpatialRank(x, kernel, "Conv");
        int c = x.Shape[^1], kc = kernel.Shape[^2];
        if (kc <= 0 || c % kc != 0)
            throw new ArgumentException($"Conv: the kernel's input channels ({kc}, kernel shape {kernel.Shape}) must divide the input's channels ({c}, input shape {x.Shape}).");
        return Geometry(x, kernel.Shape.Dims[..rank], kernel.Shape[^1], c / kc, strides, padding, dilationRate, "Conv");
    }

    /// <summary>
    /// Depthwise convolution (Keras <c>ops.depthwise_conv</c>): every input channel convolved with its own
    /// <c>depth_multiplier</c> filters; kernel (kh, kw, channels, depth_multiplier) (1-D: (k, channels, depth_multiplier)),
    /// output channel c * depth_multiplier + m.
    /// </summary>
    public static Tensor DepthwiseConv(Tensor x, Tensor kernel, Dims strides = default, string padding = "valid", Dims dilationRate = default)
    {
        int rank = SpatialRank(x, kernel, "DepthwiseConv");
        int c = x.Shape[^1];
        if (kernel.Shape[^2] != c)
            throw new ArgumentException($"DepthwiseConv: the kernel's channels ({kernel.Shape[^2]}, kernel shape {kernel.Shape}) differ from the input's ({c}, input shape {x.Shape}).");
        var (spec, outShape) = Geometry(x, kernel.Shape.Dims[..rank], c * kernel.Shape[^1], c, strides, padding, dilationRate, "DepthwiseConv");
        return ConvCore(x, kernel, spec, outShape);
    }

    /// <summary>
    /// Transposed 2-D convolution (Keras <c>ops.conv_transpose</c>, the gradient of <see cref="Conv"/> with respect to its
    /// input): x (batch, h, w, in), kernel (kh, kw, filters, in); output sizes as Keras computes them, with
    /// <paramref name="outputPadding"/> (default: none given) adding rows and columns at the end.
    /// </summary>
    public static Tensor ConvTranspose(Tensor x, Tensor kernel, Dims strides = default, string padding = "valid",
        Dims outputPadding = default, Dims dilationRate = default)
    {
        if (x.Rank != 4 || kernel.Rank != 4)
            throw new ArgumentException($"ConvTranspose: needs x of rank 4 (batch, h, w, channels) and a kernel of rank 4, got shapes {x.Shape} and {kernel.Shape}.");
        if (kernel.Shape[3] != x.Shape[3])
            throw new ArgumentException($"ConvTranspose: the kernel's last axis ({kernel.Shape[3]}, kernel shape {kernel.Shape}) must equal the input's channels ({x.Shape[3]}).");
        var p = ConvGeometry.CheckPadding(padding, "ConvTranspose");
        var s = Expand(strides, 2, "ConvTranspose", "strides");
        var d = Expand(dilationRate, 2, "ConvTranspose", "dilation_rate");
        int[]? op = outputPadding.IsEmpty ? null : outputPadding.Expand(2, "ConvTranspose", "output_padding", minimum: 0);
        var size = new int[2];
        var pad = new int[2];
        for (int i = 0; i < 2; i++)
            (size[i], pad[i]) = TransposeGeometry(x.Shape[1 + i], kernel.Shape[i], s[i], d[i], p, op?[i]);
        var spec = new ConvSpec(x.Shape[0], size[0], size[1], kernel.Shape[2], x.Shape[1], x.Shape[2], x.Shape[3],
            kernel.Shape[0], kernel.Shape[1], s[0], s[1], d[0], d[1], pad[0], pad[1], 1);
        var y = Tensor.Empty([x.Shape[0], size[0], size[1], kernel.Shape[2]]);
        B.Conv2DInputGrad(x, kernel, y, spec, 0f);
        return Tape.Record(y, "conv_transpose", x, kernel, g =>
        {
            Tensor? dx = null;
            if (x.RequiresGrad)
            {
                dx = Tensor.Empty(x.Shape);
                B.Conv2D(g, kernel, dx, spec);
            }
            return [dx, kernel.RequiresGrad ? KernelGradient(kernel, g, x, spec) : null];
        });
    }

    /// <summary>
    /// The output length and the conv-equivalent leading padding of a transposed convolution along one axis (Keras's
    /// <c>_get_output_shape_given_tf_padding</c> and <c>_convert_conv_transpose_padding_args_from_keras_to_jax</c>).
    /// </summary>
    internal static (int Length, int Pad) TransposeGeometry(int n, int k, int s, int d, string padding, int? outputPadding)
    {
        int ke = ConvGeometry.Effective(k, d);
        int length, left;
        if (padding == "valid")
        {
            length = (n - 1) * s + ke + (outputPadding ?? Math.Max(ke, s) - ke);
            left = ke - 1;
        }
        else
        {
            length = outputPadding is { } o ? (n - 1) * s + ke % 2 + o : n * s;
            int padLen = outputPadding is { } o2 ? ke + ke % 2 - 2 + o2 : s + ke - 2;
            left = Math.Min(padLen / 2 + padLen % 2, ke - 1);
        }
        return (length, ke - 1 - left);
    }

    /// <summary>y = activation(x + bias) (bias along the last axis, none when null) in one pass when the activation is elementwise.</summary>
    internal static Tensor BiasActivation(Tensor x, Tensor? bias, ActivationFunction activation)
    {
        if (activation.Elementwise is not { } op && !activation.IsLinear)
            return activation.Invoke(bias is null ? x : Add(x, bias));
        if (bias is null && activation.IsLinear) return x;
        UnaryOp? unary = activation.IsLinear ? null : activation.Elementwise;
        bool record = GradMode.IsEnabled && (x.RequiresGrad || bias is { RequiresGrad: true });
        var z = record && unary is not null ? Tensor.Empty(x.Shape) : null;
        var y = Tensor.Empty(x.Shape);
        B.BiasActivation(x, bias, unary, activation.Alpha, z, y);
        if (!record) return y;
        if (Tape.Record(y, "bias_activation", BiasActivationBackward, x, bias) is { } node)
        {
            node.T0 = z;
            node.I0 = unary is { } u ? (int)u : -1;
            node.F0 = activation.Alpha;
        }
        return y;
    }

    private static void BiasActivationBackward(Node node, Tensor g)
    {
        Tensor x = node.Input(0)!;
        var bias = node.Input(1);
        var dz = g;
        if (node.I0 >= 0)
        {
            dz = Tensor.Empty(x.Shape);
            B.UnaryGrad((UnaryOp)node.I0, node.T0!, node.Output!, g, dz, node.F0);
        }
        if (x.RequiresGrad) node.SetGrad(0, dz);
        if (bias is { RequiresGrad: true })
        {
            var db = Tensor.Empty(bias.Shape);
            B.SumRows(dz, db);
            node.SetGrad(1, db);
        }
    }

    private static void ConvBiasBackward(Node node, Tensor g)
    {
        var bias = node.Input(2)!;
        if (bias.RequiresGrad)
        {
            var db = Tensor.Empty(bias.Shape);
            B.SumRows(g, db);
            node.SetGrad(2, db);
        }
        ConvBackward(node, g);
    }

    private static Tensor ConvCore(Tensor x, Tensor kernel, ConvSpec spec, Shape outShape)
    {
        var y = Tensor.Empty(outShape);
        B.Conv2D(x, kernel, y, spec);
        if (Tape.Record(y, "conv", ConvBackward, x, kernel) is { } node) node.Spec = spec;
        return y;
    }

    private static void ConvBackward(Node node, Tensor g)
    {
        Tensor x = node.Input(0)!, kernel = node.Input(1)!;
        var spec = node.Spec;
        if (x.RequiresGrad)
        {
            var dx = Tensor.Empty(x.Shape);
            B.Conv2DInputGrad(g, kernel, dx, spec, 0f);
            node.SetGrad(0, dx);
        }
        if (!kernel.RequiresGrad) return;
        if (kernel.IsLeaf && kernel.Grad is { } grad && grad.Shape == kernel.Shape)
        {
            B.Conv2DKernelGrad(x, g, grad, spec, kernel.GradIsStale ? 0f : 1f);   // straight into the gradient buffer
            kernel.GradIsStale = false;
            return;
        }
        var dk = Tensor.Empty(kernel.Shape);
        B.Conv2DKernelGrad(x, g, dk, spec, 0f);
        node.SetGrad(1, dk);
    }

    private static Tensor? KernelGradient(Tensor kernel, Tensor x, Tensor dy, ConvSpec spec) =>
        LeafGradient(kernel, grad => B.Conv2DKernelGrad(x, dy, grad.Tensor, spec, grad.Beta), () =>
        {
            var dk = Tensor.Empty(kernel.Shape);
            B.Conv2DKernelGrad(x, dy, dk, spec, 0f);
            return dk;
        });

    private static int SpatialRank(Tensor x, Tensor kernel, string op)
    {
        if (x.Rank is not (3 or 4) || kernel.Rank != x.Rank)
            throw new ArgumentException($"{op}: needs x of rank 3 (batch, steps, channels) or 4 (batch, h, w, channels) and a kernel of the same rank, got shapes {x.Shape} and {kernel.Shape}.");
        return x.Rank - 2;
    }

    private static int[] Expand(Dims dims, int rank, string op, string argument) =>
        dims.IsEmpty ? Dims.Filled(1, rank) : dims.Expand(rank, op, argument);

    /// <summary>The spec and output shape of a 1-D or 2-D convolution of x with a kernel of these spatial sizes (nothing
    /// allocated when the arguments are valid: a training step calls it every time).</summary>
    private static (ConvSpec Spec, Shape Output) Geometry(Tensor x, ReadOnlySpan<int> kernelSize, int filters, int groups,
        Dims strides, string padding, Dims dilationRate, string op)
    {
        int rank = kernelSize.Length;
        var p = ConvGeometry.CheckPadding(padding, op, allowCausal: rank == 1);
        Span<int> s = stackalloc int[rank], d = stackalloc int[rank], outSize = stackalloc int[rank], pad = stackalloc int[rank];
        ExpandInto(strides, s, op, "strides");
        ExpandInto(dilationRate, d, op, "dilation_rate");
        var inSize = x.Shape.Dims[1..^1];
        for (int i = 0; i < rank; i++)
        {
            outSize[i] = ConvGeometry.OutputLength(inSize[i], kernelSize[i], s[i], d[i], p, op);
            pad[i] = ConvGeometry.PadBefore(inSize[i], kernelSize[i], s[i], d[i], p);
        }
        int c = x.Shape[^1];
        ConvSpec spec = rank == 1
            ? new(x.Shape[0], 1, inSize[0], c, 1, outSize[0], filters, 1, kernelSize[0], 1, s[0], 1, d[0], 0, pad[0], groups)
            : new(x.Shape[0], inSize[0], inSize[1], c, outSize[0], outSize[1], filters, kernelSize[0], kernelSize[1],
                s[0], s[1], d[0], d[1], pad[0], pad[1], groups);
        Span<int> output = stackalloc int[rank + 2];
        output[0] = x.Shape[0];
        outSize.CopyTo(output[1..]);
        output[^1] = filters;
        return (spec, new Shape(output));
    }

    /// <summary>A Keras "int or tuple" argument per spatial axis (1 when unset), as <see cref="Dims.Expand"/> checks it.</summary>
    private static void ExpandInto(Dims dims, Span<int> into, string op, string argument)
    {
        if (dims.IsEmpty) { into.Fill(1); return; }
        var v = dims.Values;
        bool valid = v.Count == 1 || v.Count == into.Length;
        for (int i = 0; valid && i < into.Length; i++) valid = (into[i] = v[v.Count == 1 ? 0 : i]) >= 1;
        if (!valid) dims.Expand(into.Length, op, argument);   // throws the argument's own message
    }
}
