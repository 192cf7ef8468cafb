using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

/// <summary>
/// The fused training op [BatchNormalization (batch statistics), LeakyReLU] against the two ops one after the other:
/// output, moving statistics and the x, gamma and beta gradients (channel counts with and without a vector tail,
/// several parts, slope 0), a finite-difference check, and the slope it refuses.
/// </summary>
public class BatchNormLeakyReluTests
{
    private static (Tensor Y, Tensor Dx, Tensor Dgamma, Tensor Dbeta, Tensor Mean, Tensor Variance) Run(
        int rows, int c, float slope, bool fused)
    {
        var x = Tensor.RandomUniform([rows, c], -2f, 3f, seed: 61);
        var gamma = Tensor.RandomUniform([c], 0.5f, 1.5f, seed: 62);
        var beta = Tensor.RandomUniform([c], -0.5f, 0.5f, seed: 63);
        var mean = Tensor.RandomUniform([c], -0.1f, 0.1f, seed: 64);
        var variance = Tensor.RandomUniform([c], 0.9f, 1.1f, seed: 65);
        x.RequiresGrad = gamma.RequiresGrad = beta.RequiresGrad = true;
        var y = fused
            ? Ops.BatchNormalizationLeakyReluTraining(x, gamma, beta, 1e-3f, mean, variance, 0.99f, slope)
            : Ops.LeakyRelu(Ops.BatchNormalizationTraining(x, gamma, beta, 1e-3f, mean, variance, 0.99f), slope);
        Ops.Sum(Ops.Mul(y, Tensor.RandomUniform(y.Shape, -1f, 1f, seed: 66))).Backward();
        return (y, x.Grad!, gamma.Grad!, beta.Grad!, mean, variance);
    }

    [Theory]
    [InlineData(64, 32, 0.3f)]
    [InlineData(37, 21, 0.2f)]
    [InlineData(2048, 64, 0.3f)]
    [InlineData(513, 5, 0f)]
    [InlineData(9, 128, 1.5f)]
    public void Fused_op_equals_batch_norm_then_leaky_relu(int rows, int c, float slope)
    {
        var plain = Run(rows, c, slope, fused: false);
        var fused = Run(rows, c, slope, fused: true);
        TensorAssert.Close(plain.Y.Data, fused.Y, atol: 1e-6f, rtol: 1e-6f, what: "output");
        TensorAssert.Close(plain.Mean.Data, fused.Mean, atol: 1e-7f, rtol: 1e-7f, what: "moving mean");
        TensorAssert.Close(plain.Variance.Data, fused.Variance, atol: 1e-7f, rtol: 1e-7f, what: "moving variance");
        TensorAssert.Close(plain.Dx.Data, fused.Dx, atol: 1e-6f, rtol: 1e-5f, what: "d/dx");
        TensorAssert.Close(plain.Dgamma.Data, fused.Dgamma, atol: 1e-5f, rtol: 1e-5f, what: "d/dgamma");
        TensorAssert.Close(plain.Dbeta.Data, fused.Dbeta, atol: 1e-5f, rtol: 1e-5f, what: "d/dbeta");
        // The activation did something: some outputs are negative (slope > 0) or zero (slope 0).
        Assert.Contains(fused.Y.ToArray(), v => slope > 0f ? v < 0f : v == 0f);
    }

    [Fact]
    public void Fused_op_gradients_match_finite_differences() =>
        GradCheck.Check(t => Ops.BatchNormalizationLeakyReluTraining(t[0], t[1], t[2], 1e-3f, null, null, 0.99f, 0.3f),
            [Tensor.RandomUniform([6, 4], -1f, 1f, seed: 67), Tensor.RandomUniform([4], 0.5f, 1.5f, seed: 68),
             Tensor.RandomUniform([4], -0.5f, 0.5f, seed: 69)], what: "batch norm + leaky relu");

    [Fact]
    public void A_negative_slope_is_refused()
    {
        var x = Tensor.RandomUniform([4, 3], seed: 70);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.BatchNormalizationLeakyReluTraining(x, null, null, 1e-3f, null, null, 0.99f, -0.1f));
    }
}
