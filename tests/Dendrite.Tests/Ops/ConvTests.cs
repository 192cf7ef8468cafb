using Dendrite.Backends;
using Dendrite.Backends.Cpu;
using Dendrite.Layers;
using Dendrite.Tests.TestKit;
using static Dendrite.Tests.Operations.ConvReferences;

namespace Dendrite.Tests.Operations;

/// <summary>
/// Convolutions against PyTorch (tools/gen_conv_references.py: conv2d on TF-padded NCHW data, Keras kernels permuted to
/// PyTorch's): forward, and the input, kernel and bias gradients of sum(w * (conv(x, k) + b)); finite-difference checks;
/// a chunked, multi-threaded case against a direct loop.
/// </summary>
public class ConvTests
{
    /// <summary>Exact rationals, the same formula as the generator's <c>pat</c>.</summary>
    internal static Tensor Pattern(int[] shape, int a, int b, int m, float d)
    {
        int n = shape.Aggregate(1, (p, x) => p * x);
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float)((((long)i * a + b) % m - m / 2) / (double)d);
        return Tensor.FromArray(data, shape);
    }

    private static void Check(int[] xs, int[] ks, int biasLength, Func<Tensor, Tensor, Tensor> conv,
        float[] y, float[] dx, float[] dk, float[] db)
    {
        var x = Pattern(xs, 37, 11, 101, 50f);
        var k = Pattern(ks, 53, 7, 89, 60f);
        var b = Pattern([biasLength], 7, 1, 13, 10f);
        x.RequiresGrad = k.RequiresGrad = b.RequiresGrad = true;
        var output = Ops.BiasActivation(conv(x, k), b, Activations.Linear);
        TensorAssert.Close(y, output, atol: 1e-5f, rtol: 1e-5f, what: "forward");
        var w = Pattern(output.Shape.ToArray(), 29, 3, 97, 40f);
        Ops.Sum(Ops.Mul(output, w)).Backward();
        TensorAssert.Close(dx, x.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "input gradient");
        TensorAssert.Close(dk, k.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "kernel gradient");
        TensorAssert.Close(db, b.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "bias gradient");
    }

    [Fact] public void Same_3x3() =>
        Check([2, 5, 6, 3], [3, 3, 3, 4], 4, (x, k) => Ops.Conv(x, k, padding: "same"), Same3x3Y, Same3x3Dx, Same3x3Dk, Same3x3Db);

    [Fact] public void Stride_2_same_puts_the_odd_pixel_at_the_end() =>
        Check([2, 5, 6, 3], [3, 3, 3, 4], 4, (x, k) => Ops.Conv(x, k, strides: 2, padding: "same"), Stride2SameY, Stride2SameDx, Stride2SameDk, Stride2SameDb);

    [Fact] public void Dilated_valid() =>
        Check([2, 6, 7, 2], [2, 3, 2, 3], 3, (x, k) => Ops.Conv(x, k, dilationRate: 2), DilatedY, DilatedDx, DilatedDk, DilatedDb);

    [Fact] public void Grouped_with_per_axis_strides() =>
        Check([2, 5, 5, 4], [3, 3, 2, 6], 6, (x, k) => Ops.Conv(x, k, strides: (2, 1)), GroupedY, GroupedDx, GroupedDk, GroupedDb);

    [Fact] public void Even_kernel_same_with_per_axis_strides() =>
        Check([1, 6, 5, 2], [4, 2, 2, 3], 3, (x, k) => Ops.Conv(x, k, strides: (2, 3), padding: "same"), EvenKernelSameY, EvenKernelSameDx, EvenKernelSameDk, EvenKernelSameDb);

    [Fact] public void Pointwise() =>
        Check([2, 4, 4, 5], [1, 1, 5, 3], 3, (x, k) => Ops.Conv(x, k), PointwiseY, PointwiseDx, PointwiseDk, PointwiseDb);

    [Fact] public void Conv1D_causal_dilated() =>
        Check([2, 7, 3], [3, 3, 4], 4, (x, k) => Ops.Conv(x, k, padding: "causal", dilationRate: 2), Conv1DCausalY, Conv1DCausalDx, Conv1DCausalDk, Conv1DCausalDb);

    [Fact] public void Conv1D_same_stride_2() =>
        Check([2, 7, 3], [4, 3, 2], 2, (x, k) => Ops.Conv(x, k, strides: 2, padding: "same"), Conv1DSameStride2Y, Conv1DSameStride2Dx, Conv1DSameStride2Dk, Conv1DSameStride2Db);

    [Fact] public void Depthwise_stride_2_same() =>
        Check([2, 5, 6, 3], [3, 3, 3, 2], 6, (x, k) => Ops.DepthwiseConv(x, k, strides: 2, padding: "same"), DepthwiseY, DepthwiseDx, DepthwiseDk, DepthwiseDb);

    [Fact] public void Depthwise_dilated() =>
        Check([1, 6, 6, 2], [2, 2, 2, 1], 2, (x, k) => Ops.DepthwiseConv(x, k, dilationRate: 2), DepthwiseDilatedY, DepthwiseDilatedDx, DepthwiseDilatedDk, DepthwiseDilatedDb);

    [Fact] public void Transpose_same_stride_2() =>
        Check([2, 3, 4, 3], [3, 3, 2, 3], 2, (x, k) => Ops.ConvTranspose(x, k, strides: 2, padding: "same"), TransposeSameY, TransposeSameDx, TransposeSameDk, TransposeSameDb);

    [Fact] public void Transpose_valid_even_kernel() =>
        Check([1, 3, 3, 2], [4, 3, 3, 2], 3, (x, k) => Ops.ConvTranspose(x, k, strides: (2, 1)), TransposeValidY, TransposeValidDx, TransposeValidDk, TransposeValidDb);

    [Fact] public void Transpose_with_output_padding() =>
        Check([1, 3, 2, 2], [3, 2, 2, 2], 2, (x, k) => Ops.ConvTranspose(x, k, strides: (2, 3), padding: "same", outputPadding: (1, 2)),
            TransposeOutputPaddingY, TransposeOutputPaddingDx, TransposeOutputPaddingDk, TransposeOutputPaddingDb);

    [Fact] public void Transpose_dilated() =>
        Check([1, 3, 3, 2], [2, 2, 3, 2], 3, (x, k) => Ops.ConvTranspose(x, k, dilationRate: 2), TransposeDilatedY, TransposeDilatedDx, TransposeDilatedDk, TransposeDilatedDb);

    [Fact]
    public void Output_shapes_follow_keras()
    {
        Assert.Equal(new Shape(2, 3, 3, 4), Ops.Conv(Tensor.Zeros([2, 5, 6, 3]), Tensor.Zeros([3, 3, 3, 4]), strides: 2, padding: "same").Shape);
        Assert.Equal(new Shape(1, 6, 8), Ops.Conv(Tensor.Zeros([1, 6, 3]), Tensor.Zeros([5, 3, 8]), padding: "causal").Shape);
        Assert.Equal(new Shape(1, 8, 10, 2), Ops.ConvTranspose(Tensor.Zeros([1, 4, 5, 3]), Tensor.Zeros([3, 3, 2, 3]), strides: 2, padding: "same").Shape);
        Assert.Equal(new Shape(1, 9, 11, 2), Ops.ConvTranspose(Tensor.Zeros([1, 4, 5, 3]), Tensor.Zeros([3, 3, 2, 3]), strides: 2).Shape);
    }

    [Theory]
    [InlineData(1, "same", 1, 1)]
    [InlineData(2, "same", 1, 1)]
    [InlineData(1, "valid", 2, 1)]
    [InlineData(2, "valid", 1, 2)]
    public void Conv2D_gradients_match_finite_differences(int stride, string padding, int dilation, int groups)
    {
        var x = Tensor.RandomUniform([2, 5, 5, 4], -1f, 1f, seed: 3);
        var k = Tensor.RandomUniform([3, 3, 4 / groups, 4], -1f, 1f, seed: 4);
        GradCheck.Check(t => Ops.Conv(t[0], t[1], strides: stride, padding: padding, dilationRate: dilation), [x, k], what: $"conv s{stride} {padding} d{dilation} g{groups}");
    }

    [Fact]
    public void Conv1D_depthwise_and_transpose_gradients_match_finite_differences()
    {
        GradCheck.Check(t => Ops.Conv(t[0], t[1], padding: "causal", dilationRate: 2),
            [Tensor.RandomUniform([2, 6, 3], -1f, 1f, seed: 5), Tensor.RandomUniform([3, 3, 2], -1f, 1f, seed: 6)], what: "conv1d causal");
        GradCheck.Check(t => Ops.DepthwiseConv(t[0], t[1], strides: 2, padding: "same"),
            [Tensor.RandomUniform([2, 5, 5, 3], -1f, 1f, seed: 7), Tensor.RandomUniform([3, 3, 3, 2], -1f, 1f, seed: 8)], what: "depthwise");
        GradCheck.Check(t => Ops.ConvTranspose(t[0], t[1], strides: 2, padding: "same"),
            [Tensor.RandomUniform([2, 3, 3, 3], -1f, 1f, seed: 9), Tensor.RandomUniform([3, 3, 2, 3], -1f, 1f, seed: 10)], what: "transpose");
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("leaky_relu")]
    [InlineData("sigmoid")]
    [InlineData("softmax")]
    public void Fused_bias_activation_gradients_match_finite_differences(string activation)
    {
        GradCheck.Check(t => Ops.BiasActivation(t[0], t[1], Activations.Get(activation)),
            [Tensor.RandomUniform([3, 2, 4], -1f, 1f, seed: 11), Tensor.RandomUniform([4], -1f, 1f, seed: 12)], what: activation);
    }

    /// <summary>Large enough for several patch chunks and parallel copies (im2col) or parallel channel ranges (depthwise,
    /// groups = channels); checked against a direct float64 loop.</summary>
    [Theory]
    [InlineData(200, 1, 4)]
    [InlineData(200, 2, 4)]
    [InlineData(48, 48, 48)]
    [InlineData(48, 48, 96)]
    public void Chunked_multithreaded_conv_matches_a_direct_loop(int c, int groups, int f)
    {
        int n = 2, h = 40, w = 40, kh = 3, kw = 3, s = 2;
        var x = Tensor.RandomUniform([n, h, w, c], -1f, 1f, seed: 21);
        var k = Tensor.RandomUniform([kh, kw, c / groups, f], -1f, 1f, seed: 22);
        x.RequiresGrad = k.RequiresGrad = true;
        var y = Ops.Conv(x, k, strides: s, padding: "same");
        Assert.Equal([n, 20, 20, f], y.Shape.ToArray());
        var g = Tensor.RandomUniform(y.Shape, -1f, 1f, seed: 23);
        Ops.Sum(Ops.Mul(y, g)).Backward();
        // "same" with stride 2 on 40: total padding 1, all of it at the end.
        AssertMatchesFloat64Loop(x, k, y, g, s, pad: 0, groups);
    }

    /// <summary>Batches of small images as a CNN trains them (forward and kernel gradient on the chunked path: chunks of
    /// output pixels claimed by parts, a partial kernel gradient per thread), odd sizes and chunks that do not split evenly.</summary>
    [Theory]
    [InlineData(5, 16, 8, 32, 1)]
    [InlineData(6, 17, 32, 32, 2)]
    [InlineData(4, 16, 16, 64, 1)]
    [InlineData(3, 15, 64, 40, 2)]
    [InlineData(5, 17, 3, 32, 1)]
    [InlineData(3, 16, 3, 16, 2)]
    [InlineData(2, 13, 1, 48, 1)]
    [InlineData(4, 11, 5, 64, 2)]
    public void Chunked_small_image_conv_matches_a_direct_loop(int n, int hw, int c, int f, int s)
    {
        const int kh = 3, kw = 3;
        var x = Tensor.RandomUniform([n, hw, hw, c], -1f, 1f, seed: 31);
        var k = Tensor.RandomUniform([kh, kw, c, f], -1f, 1f, seed: 32);
        x.RequiresGrad = k.RequiresGrad = true;
        var y = Ops.Conv(x, k, strides: s, padding: "same");
        int o = (hw + s - 1) / s, pad = Math.Max((o - 1) * s + kh - hw, 0) / 2;
        Assert.Equal([n, o, o, f], y.Shape.ToArray());
        var g = Tensor.RandomUniform(y.Shape, -1f, 1f, seed: 33);
        Ops.Sum(Ops.Mul(y, g)).Backward();
        AssertMatchesFloat64Loop(x, k, y, g, s, pad, groups: 1);
    }

    /// <summary>The forward pass, input gradient and kernel gradient of a grouped NHWC convolution (output gradient
    /// <paramref name="g"/>) against a direct float64 loop; <paramref name="pad"/> rows and columns at the start, the rest
    /// of "same"'s padding at the end.</summary>
    private static void AssertMatchesFloat64Loop(Tensor x, Tensor k, Tensor y, Tensor g, int stride, int pad, int groups)
    {
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        int kh = k.Shape[0], kw = k.Shape[1], cg = k.Shape[2], f = k.Shape[3], fg = f / groups;
        int oh = y.Shape[1], ow = y.Shape[2];
        var ey = new double[y.Size];
        var edx = new double[x.Size];
        var edk = new double[k.Size];
        for (int b = 0; b < n; b++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        for (int o = 0; o < f; o++)
        {
            int grp = o / fg, yi = ((b * oh + i) * ow + j) * f + o;
            for (int di = 0; di < kh; di++)
            for (int dj = 0; dj < kw; dj++)
            {
                int ih = i * stride + di - pad, iw = j * stride + dj - pad;
                if (ih < 0 || iw < 0 || ih >= h || iw >= w) continue;
                for (int ci = 0; ci < cg; ci++)
                {
                    int xi = ((b * h + ih) * w + iw) * c + grp * cg + ci, ki = ((di * kw + dj) * cg + ci) * f + o;
                    ey[yi] += (double)x.Data[xi] * k.Data[ki];
                    edx[xi] += (double)g.Data[yi] * k.Data[ki];
                    edk[ki] += (double)g.Data[yi] * x.Data[xi];
                }
            }
        }
        TensorAssert.Close(ey.Select(v => (float)v).ToArray(), y, atol: 1e-4f, rtol: 1e-4f, what: "forward");
        TensorAssert.Close(edx.Select(v => (float)v).ToArray(), x.Grad!, atol: 1e-4f, rtol: 1e-4f, what: "input gradient");
        TensorAssert.Close(edk.Select(v => (float)v).ToArray(), k.Grad!, atol: 1e-3f, rtol: 1e-4f, what: "kernel gradient");
    }

    /// <summary>Short patch rows (an RGB first layer) and small images with up to 32 (or exactly 64) filters and 256+ output
    /// pixels take the direct kernel (padded image, 8-pixel x 32-filter or 4-pixel x 64-filter tiles; 9-tap tiles for the
    /// kernel gradient); it equals the im2col path, strided, dilated, "valid" and with leftover pixels, filters (48) and
    /// taps (2x2 kernels).</summary>
    [Theory]
    [InlineData(32, 3, 32, 1, 1, "same", 3)]
    [InlineData(13, 3, 48, 2, 1, "same", 3)]
    [InlineData(12, 2, 16, 1, 2, "valid", 3)]
    [InlineData(9, 7, 64, 3, 1, "valid", 3)]
    [InlineData(11, 5, 32, 1, 1, "same", 2)]
    [InlineData(16, 32, 32, 1, 1, "same", 3)]
    [InlineData(18, 20, 16, 1, 1, "valid", 2)]
    [InlineData(16, 32, 64, 1, 1, "same", 3)]
    [InlineData(33, 32, 64, 2, 1, "same", 3)]
    public void Direct_conv_for_short_patch_rows_matches_the_im2col_path(int hw, int c, int f, int stride, int dilation, string padding, int kernel)
    {
        var x = Tensor.RandomUniform([3, hw, hw, c], -1f, 1f, seed: 41);
        var k = Tensor.RandomUniform([kernel, kernel, c, f], -1f, 1f, seed: 42);
        (Tensor Y, Tensor Dk) Run(bool direct)
        {
            ConvDirect.Enabled = direct;
            try
            {
                var xs = x.Clone();
                var ks = k.Clone();
                ks.RequiresGrad = true;
                var y = Ops.Conv(xs, ks, strides: stride, padding: padding, dilationRate: dilation);
                var g = Tensor.RandomUniform(y.Shape, -1f, 1f, seed: 43);
                Ops.Sum(Ops.Mul(y, g)).Backward();
                return (y, ks.Grad!);
            }
            finally { ConvDirect.Enabled = true; }
        }
        int o = padding == "same" ? (hw + stride - 1) / stride : (hw - dilation * (kernel - 1) - 1) / stride + 1;
        var spec = new ConvSpec(3, hw, hw, c, o, o, f, kernel, kernel, stride, stride, dilation, dilation, 0, 0, 1);
        // Where AVX-512 is missing (or the 512-bit kernels are off), both runs take the im2col path.
        Assert.True(ConvDirect.AppliesForward(spec) && ConvDirect.AppliesKernelGrad(spec)
            || !System.Runtime.Intrinsics.X86.Avx512F.IsSupported || Gemm.KernelBits != 512);
        var (y1, dk1) = Run(true);
        var (y0, dk0) = Run(false);
        TensorAssert.Close(y0.Data, y1, atol: 1e-5f, rtol: 1e-5f, what: "forward");
        TensorAssert.Close(dk0.Data, dk1, atol: 1e-4f, rtol: 1e-5f, what: "kernel gradient");
    }

    /// <summary>The kernel gradient, a sum over the batch split between threads, comes out bit for bit the same in every
    /// run: on the direct path (short patch rows, a small image) and the chunked path (the direct one off; a kernel over
    /// 256K floats, which gets one group per part), where parts
    /// once claimed single images or chunks into one partial per thread, so the order of addition followed the timing.</summary>
    [Theory]
    [InlineData(12, 3, 32, true)]
    [InlineData(16, 16, 32, true)]
    [InlineData(16, 32, 32, false)]
    [InlineData(9, 32, 64, false)]
    [InlineData(6, 128, 256, false)]
    public void Kernel_gradient_is_the_same_in_every_run(int hw, int c, int f, bool direct)
    {
        var x = Tensor.RandomUniform([9, hw, hw, c], -1f, 1f, seed: 46);
        var k = Tensor.RandomUniform([3, 3, c, f], -1f, 1f, seed: 47);
        float[] Run()
        {
            ConvDirect.Enabled = direct;
            try
            {
                var ks = k.Clone();
                ks.RequiresGrad = true;
                var y = Ops.Conv(x, ks, padding: "same");
                Ops.Sum(Ops.Mul(y, Tensor.RandomUniform(y.Shape, -1f, 1f, seed: 48))).Backward();
                return ks.Grad!.ToArray();
            }
            finally { ConvDirect.Enabled = true; }
        }
        var first = Run();
        for (int run = 1; run < 16; run++)
        {
            var again = Run();
            int at = Enumerable.Range(0, first.Length).FirstOrDefault(i => again[i] != first[i], -1);
            if (at >= 0) Assert.Fail($"run {run}: dk[{at}] = {again[at]:R}, in the first run {first[at]:R}");
        }
    }

    [Fact]
    public void Direct_conv_gradients_match_finite_differences() =>
        GradCheck.Check(t => Ops.Conv(t[0], t[1], strides: 2, padding: "same"),
            [Tensor.RandomUniform([2, 5, 5, 3], -1f, 1f, seed: 44), Tensor.RandomUniform([3, 3, 3, 16], -1f, 1f, seed: 45)], what: "direct conv");

    [Fact]
    public void Bad_arguments_name_the_op_and_the_value()
    {
        var x = Tensor.Zeros([1, 5, 5, 4]);
        var e = Assert.Throws<ArgumentException>(() => Ops.Conv(x, Tensor.Zeros([3, 3, 3, 2])));
        Assert.Contains("(3", e.Message);
        e = Assert.Throws<ArgumentException>(() => Ops.Conv(x, Tensor.Zeros([3, 3, 4, 2]), padding: "full"));
        Assert.Contains("\"full\"", e.Message);
        e = Assert.Throws<ArgumentException>(() => Ops.Conv(x, Tensor.Zeros([3, 3, 4, 2]), padding: "causal"));
        Assert.Contains("\"causal\"", e.Message);
        e = Assert.Throws<ArgumentException>(() => Ops.Conv(x, Tensor.Zeros([6, 6, 4, 2])));
        Assert.Contains("larger than the input (5)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Ops.Conv(Tensor.Zeros([5, 4]), Tensor.Zeros([3, 4, 2])));
        Assert.Contains("rank", e.Message);
    }
}
