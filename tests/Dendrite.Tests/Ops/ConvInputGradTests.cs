using Dendrite.Backends;
using Dendrite.Backends.Cpu;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

/// <summary>
/// The input gradient of a stride-1 convolution computed as a forward convolution of dy with the flipped, transposed
/// kernel (<see cref="ConvInputGather"/>) against the col2im path (GEMM into patches, scatter-add), on the shapes that
/// take it (direct kernel: up to 32 channels; chunked: more), and a finite-difference check.
/// </summary>
public class ConvInputGradTests
{
    [Theory]
    [InlineData(4, 16, 32, 64, 3, 3, "same")]
    [InlineData(3, 9, 16, 16, 3, 3, "same")]
    [InlineData(3, 12, 16, 32, 2, 2, "same")]
    [InlineData(2, 11, 64, 48, 3, 3, "valid")]
    [InlineData(5, 10, 80, 24, 2, 3, "same")]
    [InlineData(2, 13, 48, 16, 5, 5, "same")]
    public void Gathered_input_gradient_matches_col2im(int n, int hw, int c, int f, int kh, int kw, string padding)
    {
        var x = Tensor.RandomUniform([n, hw, hw, c], -1f, 1f, seed: 51);
        var k = Tensor.RandomUniform([kh, kw, c, f], -1f, 1f, seed: 52);
        int oh = padding == "same" ? hw : hw - kh + 1, ow = padding == "same" ? hw : hw - kw + 1;
        var spec = new ConvSpec(n, hw, hw, c, oh, ow, f, kh, kw, 1, 1, 1, 1, padding == "same" ? (kh - 1) / 2 : 0,
            padding == "same" ? (kw - 1) / 2 : 0, 1);
        // Where AVX-512 is missing (or the 512-bit kernels are off), both runs take the col2im path.
        Assert.True(ConvInputGather.Applies(spec) || !System.Runtime.Intrinsics.X86.Avx512F.IsSupported || Gemm.KernelBits != 512);
        Tensor Run(bool gather)
        {
            ConvInputGather.Enabled = gather;
            try
            {
                var xs = x.Clone();
                xs.RequiresGrad = true;
                var y = Ops.Conv(xs, k, padding: padding);
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

    [Fact]
    public void Gathered_input_gradient_matches_finite_differences()
    {
        var spec = new ConvSpec(2, 5, 5, 16, 5, 5, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        Assert.True(ConvInputGather.Applies(spec) || !System.Runtime.Intrinsics.X86.Avx512F.IsSupported || Gemm.KernelBits != 512);
        GradCheck.Check(t => Ops.Conv(t[0], t[1], padding: "same"),
            [Tensor.RandomUniform([2, 5, 5, 16], -1f, 1f, seed: 54), Tensor.RandomUniform([3, 3, 16, 16], -1f, 1f, seed: 55)],
            what: "gathered input gradient");
    }
}
