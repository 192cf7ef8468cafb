using Dendrite.Backends;
using Dendrite.Backends.Cpu;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

/// <summary>
/// Input gradients computed by gathering (<see cref="ConvInputGather"/>: stride 1 as a forward convolution of dy with the
/// flipped, transposed kernel; <see cref="ConvInputPhases"/>: strided, phase by phase) against the col2im path (GEMM into
/// patches, scatter-add), on shapes that take them (odd sizes, leading padding, phases with no taps, mixed strides), and
/// finite-difference checks.
/// </summary>
public class ConvInputGradTests
{
    [Theory]
    [InlineData(4, 16, 32, 64, 3, 3, 1, 1, "same")]
    [InlineData(3, 9, 16, 16, 3, 3, 1, 1, "same")]
    [InlineData(3, 12, 16, 32, 2, 2, 1, 1, "same")]
    [InlineData(2, 11, 64, 48, 3, 3, 1, 1, "valid")]
    [InlineData(5, 10, 80, 24, 2, 3, 1, 1, "same")]
    [InlineData(2, 13, 48, 16, 5, 5, 1, 1, "same")]
    [InlineData(4, 32, 32, 32, 3, 3, 2, 2, "same")]
    [InlineData(4, 16, 64, 64, 3, 3, 2, 2, "same")]
    [InlineData(3, 15, 16, 32, 3, 3, 2, 2, "same")]
    [InlineData(3, 13, 48, 16, 3, 3, 2, 2, "valid")]
    [InlineData(2, 12, 16, 16, 2, 2, 2, 2, "valid")]
    [InlineData(2, 11, 32, 16, 1, 1, 2, 2, "valid")]
    [InlineData(2, 14, 16, 24, 2, 3, 3, 2, "same")]
    [InlineData(2, 10, 48, 32, 5, 5, 2, 1, "same")]
    public void Gathered_input_gradient_matches_col2im(int n, int hw, int c, int f, int kh, int kw, int sh, int sw, string padding)
    {
        var x = Tensor.RandomUniform([n, hw, hw, c], -1f, 1f, seed: 51);
        var k = Tensor.RandomUniform([kh, kw, c, f], -1f, 1f, seed: 52);
        var (oh, top) = Axis(hw, kh, sh, padding);
        var (ow, left) = Axis(hw, kw, sw, padding);
        var spec = new ConvSpec(n, hw, hw, c, oh, ow, f, kh, kw, sh, sw, 1, 1, top, left, 1);
        // Where AVX-512 is missing (or the 512-bit kernels are off), both runs take the col2im path.
        Assert.True(ConvInputGather.Applies(spec) || !System.Runtime.Intrinsics.X86.Avx512F.IsSupported || Gemm.KernelBits != 512);
        Tensor Run(bool gather)
        {
            ConvInputGather.Enabled = gather;
            try
            {
                var xs = x.Clone();
                xs.RequiresGrad = true;
                var y = Ops.Conv(xs, k, strides: (sh, sw), padding: padding);
                Assert.Equal([n, oh, ow, f], y.Shape.ToArray());
                var g = Tensor.RandomUniform(y.Shape, -1f, 1f, seed: 53);
                Ops.Sum(Ops.Mul(y, g)).Backward();
                return xs.Grad!;
            }
            finally { ConvInputGather.Enabled = true; }
        }
        var col2im = Run(false);
        var gathered = Run(true);
        TensorAssert.Close(col2im.Data, gathered, atol: 1e-5f, rtol: 1e-5f, what: "input gradient");
    }

    /// <summary>Output size and leading padding of one axis, as Keras pads ("same": the odd element at the end).</summary>
    private static (int Out, int Pad) Axis(int size, int kernel, int stride, string padding)
    {
        if (padding == "valid") return ((size - kernel) / stride + 1, 0);
        int o = (size + stride - 1) / stride;
        return (o, Math.Max((o - 1) * stride + kernel - size, 0) / 2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Gathered_input_gradient_matches_finite_differences(int stride)
    {
        int o = (5 + stride - 1) / stride, pad = Math.Max((o - 1) * stride + 3 - 5, 0) / 2;
        var spec = new ConvSpec(2, 5, 5, 16, o, o, 16, 3, 3, stride, stride, 1, 1, pad, pad, 1);
        Assert.True(ConvInputGather.Applies(spec) || !System.Runtime.Intrinsics.X86.Avx512F.IsSupported || Gemm.KernelBits != 512);
        GradCheck.Check(t => Ops.Conv(t[0], t[1], strides: stride, padding: "same"),
            [Tensor.RandomUniform([2, 5, 5, 16], -1f, 1f, seed: 54), Tensor.RandomUniform([3, 3, 16, 16], -1f, 1f, seed: 55)],
            what: $"gathered input gradient, stride {stride}");
    }
}
