using Dendrite.Backends;
using Dendrite.Backends.Cpu;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

/// <summary>
/// 3x3 stride-1 convolutions by Winograd's F(2x2, 3x3) (<see cref="ConvWinograd"/>) against a double-precision loop
/// and against the direct/im2col path: odd and non-square images (2x2 blocks past the edge), "valid" and "same",
/// channel counts that are not powers of two, filter counts on each register tile (64, 32, 96), tile counts with
/// leftovers, bands of tile rows, the fused bias + activation, the input gradient (a Winograd forward of dy) and
/// finite-difference checks.
/// </summary>
public class ConvWinogradTests
{
    private static bool Avx512 => System.Runtime.Intrinsics.X86.Avx512F.IsSupported && Gemm.KernelBits == 512;

    private static (int Out, int Pad) Axis(int size, string padding) =>
        padding == "valid" ? (size - 2, 0) : (size, 1);

    private static ConvSpec Spec(int n, int h, int w, int c, int f, string padding)
    {
        var (oh, top) = Axis(h, padding);
        var (ow, left) = Axis(w, padding);
        return new ConvSpec(n, h, w, c, oh, ow, f, 3, 3, 1, 1, 1, 1, top, left, 1);
    }

    /// <summary>The convolution summed in double precision, one output at a time.</summary>
    private static float[] Reference(Tensor x, Tensor k, ConvSpec s)
    {
        var y = new float[s.OutputSize];
        for (int n = 0; n < s.N; n++)
        for (int oh = 0; oh < s.OH; oh++)
        for (int ow = 0; ow < s.OW; ow++)
        for (int f = 0; f < s.F; f++)
        {
            double sum = 0;
            for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
            {
                int ih = oh + a - s.PadTop, iw = ow + b - s.PadLeft;
                if ((uint)ih >= (uint)s.H || (uint)iw >= (uint)s.W) continue;
                for (int c = 0; c < s.C; c++)
                    sum += (double)x.Data[((n * s.H + ih) * s.W + iw) * s.C + c] * k.Data[((a * 3 + b) * s.C + c) * s.F + f];
            }
            y[((n * s.OH + oh) * s.OW + ow) * s.F + f] = (float)sum;
        }
        return y;
    }

    [Theory]
    [InlineData(3, 16, 16, 32, 64, "same")]     // W5's third layer
    [InlineData(3, 16, 16, 64, 32, "same")]     // ... and its input gradient's forward
    [InlineData(2, 13, 9, 48, 96, "same")]      // odd, non-square; 8x32 tiles and a leftover of 16 filters' rows
    [InlineData(2, 15, 12, 32, 128, "valid")]   // odd output (13 x 10)
    [InlineData(2, 3, 3, 32, 32, "valid")]      // a single output pixel
    [InlineData(1, 70, 66, 32, 64, "same")]     // several bands of tile rows
    [InlineData(1, 14, 14, 256, 256, "same")]   // a wide layer: bands of 4 of the 7 tile rows
    public void Winograd_matches_a_double_precision_loop_and_the_direct_path(int n, int h, int w, int c, int f, string padding)
    {
        var x = Tensor.RandomUniform([n, h, w, c], -1f, 1f, seed: 61);
        var k = Tensor.RandomUniform([3, 3, c, f], -1f, 1f, seed: 62);
        var spec = Spec(n, h, w, c, f, padding);
        Assert.True(ConvWinograd.Applies(spec) || !Avx512);
        var winograd = Ops.Conv(x, k, padding: padding);
        Assert.Equal([n, spec.OH, spec.OW, f], winograd.Shape.ToArray());
        // Sums of 9c products of size up to 1: a float sum's rounding grows with sqrt(9c) (the outputs' own size), so the
        // tolerance is 2e-5 at c = 32 and scales with it.
        float atol = 2e-5f * MathF.Sqrt(c / 32f);
        TensorAssert.Close(Reference(x, k, spec), winograd, atol: atol, rtol: 1e-5f, what: "Winograd vs double loop");
        ConvWinograd.Enabled = false;
        try
        {
            Assert.False(ConvWinograd.Applies(spec));
            var direct = Ops.Conv(x, k, padding: padding);
            TensorAssert.Close(direct, winograd, atol: atol, rtol: 1e-5f, what: "Winograd vs direct");
        }
        finally { ConvWinograd.Enabled = true; }
    }

    [Theory]
    [InlineData(UnaryOp.LeakyRelu, true)]
    [InlineData(UnaryOp.Relu, false)]
    public void The_output_transform_applies_bias_and_activation_as_the_separate_pass(UnaryOp op, bool withBias)
    {
        var spec = Spec(2, 10, 11, 32, 64, "same");
        var x = Tensor.RandomUniform([2, 10, 11, 32], -1f, 1f, seed: 63);
        var k = Tensor.RandomUniform([3, 3, 32, 64], -1f, 1f, seed: 64);
        var bias = withBias ? Tensor.RandomUniform([64], -1f, 1f, seed: 65) : null;
        var fused = Tensor.Zeros([2, 10, 11, 64]);
        Backend.Current.Conv2DBiasActivation(x, k, bias, op, 0.3f, fused, spec);
        var plain = Tensor.Zeros([2, 10, 11, 64]);
        Backend.Current.Conv2D(x, k, plain, spec);
        var expected = new float[plain.Size];
        for (int i = 0; i < expected.Length; i++)
        {
            float v = plain.Data[i] + (bias?.Data[i % 64] ?? 0f);
            expected[i] = v > 0 ? v : op == UnaryOp.Relu ? 0f : 0.3f * v;
        }
        // The same sums, the bias and activation applied in the same order: equal to the bit.
        TensorAssert.Close(expected, fused, atol: 0f, rtol: 0f, what: "fused epilogue");
    }

    [Fact]
    public void Input_gradient_through_Winograd_matches_col2im()
    {
        var spec = Spec(3, 12, 12, 32, 64, "same");
        Assert.True(ConvWinograd.Applies(ConvInputGather.Transposed(spec)) || !Avx512);
        var x = Tensor.RandomUniform([3, 12, 12, 32], -1f, 1f, seed: 66);
        var k = Tensor.RandomUniform([3, 3, 32, 64], -1f, 1f, seed: 67);
        var g = Tensor.RandomUniform([3, 12, 12, 64], -1f, 1f, seed: 68);
        Tensor Grad()
        {
            var xs = x.Clone();
            xs.RequiresGrad = true;
            Ops.Sum(Ops.Mul(Ops.Conv(xs, k, padding: "same"), g)).Backward();
            return xs.Grad!;
        }
        var winograd = Grad();
        ConvInputGather.Enabled = false;
        try { TensorAssert.Close(Grad(), winograd, atol: 2e-5f, rtol: 1e-5f, what: "input gradient"); }
        finally { ConvInputGather.Enabled = true; }
    }

    [Fact]
    public void Winograd_gradients_match_finite_differences()
    {
        Assert.True(ConvWinograd.Applies(Spec(2, 5, 4, 32, 32, "same")) || !Avx512);
        GradCheck.Check(t => Ops.Conv(t[0], t[1], padding: "same"),
            [Tensor.RandomUniform([2, 5, 4, 32], -1f, 1f, seed: 69), Tensor.RandomUniform([3, 3, 32, 32], -1f, 1f, seed: 70)],
            h: 1e-2f, what: "Winograd conv");   // linear in each input: a wide step has no curvature error, less rounding
    }

    [Fact]
    public void Only_3x3_stride_1_undilated_with_enough_channels_takes_it()
    {
        Assert.Equal(Avx512, ConvWinograd.Applies(Spec(1, 8, 8, 32, 32, "same")));
        Assert.False(ConvWinograd.Applies(Spec(1, 8, 8, 16, 32, "same")));
        Assert.False(ConvWinograd.Applies(Spec(1, 8, 8, 32, 48, "same")));
        Assert.Equal(Avx512, ConvWinograd.Applies(Spec(1, 8, 8, 256, 256, "same")));
        Assert.False(ConvWinograd.Applies(Spec(1, 8, 8, 512, 256, "same")));   // kernels too large for the bands
        Assert.False(ConvWinograd.Applies(new ConvSpec(1, 8, 8, 32, 4, 4, 32, 3, 3, 2, 2, 1, 1, 0, 0, 1)));
        Assert.False(ConvWinograd.Applies(new ConvSpec(1, 8, 8, 32, 4, 4, 32, 3, 3, 1, 1, 2, 2, 0, 0, 1)));
        Assert.False(ConvWinograd.Applies(new ConvSpec(1, 8, 8, 32, 4, 4, 32, 5, 5, 1, 1, 1, 1, 0, 0, 1)));
        Assert.False(ConvWinograd.Applies(new ConvSpec(1, 8, 8, 32, 8, 8, 32, 3, 3, 1, 1, 1, 1, 1, 1, 2)));
    }
}
