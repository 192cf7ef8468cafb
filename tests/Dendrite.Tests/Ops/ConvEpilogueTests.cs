using Dendrite.Autodiff;
using Dendrite.Backends;
using Dendrite.Tests.TestKit;
using Dendrite.Layers;

namespace Dendrite.Tests.Operations;

/// <summary>
/// Prediction's convolution with the bias and activation applied in the direct kernel's register tiles
/// (<see cref="Ops.ConvBiasActivation"/>) against the convolution followed by the separate bias + activation pass:
/// 32, 48 and 64 filters (8x32 tiles, 16-filter edges, 4x64 tiles), leftover pixels, short patch rows, and the
/// activations the tiles do not apply (a separate pass).
/// </summary>
public class ConvEpilogueTests
{
    [Theory]
    [InlineData(16, 32, 32, 1, "relu", true)]
    [InlineData(13, 16, 48, 2, "leaky_relu", true)]
    [InlineData(17, 32, 64, 1, "leaky_relu", true)]
    [InlineData(15, 3, 32, 1, "linear", true)]
    [InlineData(11, 3, 64, 2, "relu", false)]
    [InlineData(12, 16, 32, 1, "elu", true)]
    [InlineData(9, 16, 16, 1, "linear", false)]
    public void Fused_epilogue_equals_the_separate_pass(int hw, int c, int f, int stride, string activation, bool bias)
    {
        var x = Tensor.RandomUniform([3, hw, hw, c], -1f, 1f, seed: 81);
        var k = Tensor.RandomUniform([3, 3, c, f], -1f, 1f, seed: 82);
        var b = bias ? Tensor.RandomUniform([f], -1f, 1f, seed: 83) : null;
        var fn = activation == "leaky_relu" ? new ActivationFunction("leaky_relu", t => Ops.LeakyRelu(t, 0.3f), UnaryOp.LeakyRelu, 0.3f)
            : Activations.Get(activation);
        using var _ = GradMode.NoGrad();
        var separate = Ops.BiasActivation(Ops.Conv(x, k, strides: stride, padding: "same"), b, fn);
        var fused = Ops.ConvBiasActivation(x, k, b, fn, stride, "same", default);
        TensorAssert.Close(separate.Data, fused, atol: 1e-6f, rtol: 1e-6f, what: $"{activation}, bias {bias}");
        // Nothing left unchanged by accident: the activation clipped something, or the bias moved the output.
        if (activation is "relu") Assert.Contains(fused.ToArray(), v => v == 0f);
        if (activation is "leaky_relu") Assert.Contains(fused.ToArray(), v => v < 0f);
    }

    /// <summary>Training's linear convolution with a bias (the one before a BatchNormalization) adds the bias in the
    /// convolution's tiles as one tape node: the same output and the same gradients of x, the kernel and the bias as the
    /// convolution followed by the bias pass, on the direct path (stride 1 and 2) and on paths without it (dilation,
    /// groups, 1-D).</summary>
    [Theory]
    [InlineData(16, 32, 32, 1, 1, 1)]
    [InlineData(13, 16, 64, 2, 1, 1)]
    [InlineData(12, 8, 16, 1, 2, 1)]
    [InlineData(10, 8, 16, 1, 1, 2)]
    [InlineData(0, 6, 10, 1, 1, 1)]
    public void Training_conv_with_its_bias_in_the_tiles_equals_the_separate_ops(int hw, int c, int f, int stride, int dilation, int groups)
    {
        bool oneD = hw == 0;
        int[] xs = oneD ? [3, 19, c] : [3, hw, hw, c], ks = oneD ? [3, c / groups, f] : [3, 3, c / groups, f];
        Tensor[] Run(bool fused)
        {
            var x = Tensor.RandomUniform(xs, -1f, 1f, seed: 84);
            var k = Tensor.RandomUniform(ks, -1f, 1f, seed: 85);
            var b = Tensor.RandomUniform([f], -1f, 1f, seed: 86);
            x.RequiresGrad = k.RequiresGrad = b.RequiresGrad = true;
            var y = fused
                ? Ops.ConvBiasActivation(x, k, b, Activations.Get("linear"), stride, "same", dilation)
                : Ops.BiasActivation(Ops.Conv(x, k, strides: stride, padding: "same", dilationRate: dilation), b, Activations.Get("linear"));
            var w = Tensor.RandomUniform(y.Shape.ToArray(), -1f, 1f, seed: 87);
            Ops.Sum(y * w).Backward();
            return [y.Detach(), x.Grad!, k.Grad!, b.Grad!];
        }
        var (a, e) = (Run(true), Run(false));
        string[] what = ["output", "dx", "dkernel", "dbias"];
        for (int i = 0; i < 4; i++) TensorAssert.Close(e[i].Data, a[i], atol: 1e-5f, rtol: 1e-5f, what: what[i]);
        Assert.Contains(a[3].ToArray(), v => MathF.Abs(v) > 1e-3f);   // the bias got a gradient
    }
}
