using Dendrite.Tests.TestKit;
using R = Dendrite.Tests.Operations.PoolNormReferences;

namespace Dendrite.Tests.Operations;

public class NormalizationOpTests
{
    private static Tensor T(float[] v, params int[] shape)
    {
        var t = Tensor.FromArray((float[])v.Clone(), shape);
        t.RequiresGrad = true;
        return t;
    }

    private static void BackwardWeighted(Tensor y) => Ops.Sum(y * Tensor.Linspace(-1f, 1.5f, y.Size).Reshape(y.Shape.ToArray())).Backward();

    [Fact]
    public void Batch_normalization_with_batch_statistics_matches_pytorch()
    {
        var (x, g, b) = (T(R.BnX, 4, 3, 2, 5), T(R.BnGamma, 5), T(R.BnBeta, 5));
        var y = Ops.BatchNormalizationTraining(x, g, b, 1e-3f, null, null, 0.99f);
        TensorAssert.Close(R.BnTrainY, y, atol: 1e-5f, rtol: 1e-5f);
        BackwardWeighted(y);
        TensorAssert.Close(R.BnTrainGradX, x.Grad!, atol: 1e-5f, rtol: 1e-4f, what: "d/dx");
        TensorAssert.Close(R.BnTrainGradGamma, g.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "d/dgamma");
        TensorAssert.Close(R.BnTrainGradBeta, b.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "d/dbeta");
    }

    [Fact]
    public void Batch_normalization_gamma_and_beta_gradients_accumulate_and_overwrite_when_stale()
    {
        var (x, g, b) = (T(R.BnX, 4, 3, 2, 5), T(R.BnGamma, 5), T(R.BnBeta, 5));
        BackwardWeighted(Ops.BatchNormalizationTraining(x, g, b, 1e-3f, null, null, 0.99f));
        var (gammaGrad, betaGrad) = (g.Grad!, b.Grad!);
        BackwardWeighted(Ops.BatchNormalizationTraining(x, g, b, 1e-3f, null, null, 0.99f));
        TensorAssert.Close(R.BnTrainGradGamma.Select(v => 2 * v).ToArray(), g.Grad!, atol: 2e-5f, rtol: 1e-5f, what: "accumulated d/dgamma");
        TensorAssert.Close(R.BnTrainGradBeta.Select(v => 2 * v).ToArray(), b.Grad!, atol: 2e-5f, rtol: 1e-5f, what: "accumulated d/dbeta");
        // The training loop's cheap zeroing: the next gradient is written straight into the same buffers.
        g.GradIsStale = b.GradIsStale = true;
        BackwardWeighted(Ops.BatchNormalizationTraining(x, g, b, 1e-3f, null, null, 0.99f));
        Assert.Same(gammaGrad, g.Grad);
        Assert.Same(betaGrad, b.Grad);
        TensorAssert.Close(R.BnTrainGradGamma, g.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "overwritten d/dgamma");
        TensorAssert.Close(R.BnTrainGradBeta, b.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "overwritten d/dbeta");
    }

    [Fact]
    public void Batch_normalization_with_moving_statistics_matches_pytorch()
    {
        var (x, g, b) = (T(R.BnX, 4, 3, 2, 5), T(R.BnGamma, 5), T(R.BnBeta, 5));
        var y = Ops.BatchNormalization(x, Tensor.FromArray(R.BnMovingMean, 5), Tensor.FromArray(R.BnMovingVariance, 5), b, g, 1e-3f);
        TensorAssert.Close(R.BnInferY, y, atol: 1e-5f, rtol: 1e-5f);
        BackwardWeighted(y);
        TensorAssert.Close(R.BnInferGradX, x.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "d/dx");
        TensorAssert.Close(R.BnInferGradGamma, g.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "d/dgamma");
        TensorAssert.Close(R.BnInferGradBeta, b.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "d/dbeta");
    }

    [Fact]
    public void Moving_statistics_follow_the_biased_batch_variance()
    {
        var mean = Tensor.Zeros([5]);
        var variance = Tensor.Ones([5]);
        foreach (var s in R.BnSteps) Ops.BatchNormalizationTraining(Tensor.FromArray(s, 6, 5), null, null, 1e-3f, mean, variance, 0.9f);
        TensorAssert.Close(R.BnStepsMean, mean, atol: 1e-5f, rtol: 1e-5f);
        TensorAssert.Close(R.BnStepsVariance, variance, atol: 1e-5f, rtol: 1e-5f);
    }

    [Theory]
    [InlineData(true), InlineData(false)]
    public void Batch_normalization_gradients_match_finite_differences(bool training)
    {
        var x = Tensor.RandomUniform([3, 2, 2, 4], -2f, 2f, seed: 8);
        var g = Tensor.RandomUniform([4], 0.5f, 1.5f, seed: 9);
        var b = Tensor.RandomUniform([4], -1f, 1f, seed: 10);
        var mean = Tensor.FromArray([0.1f, -0.2f, 0.3f, 0f], 4);
        var variance = Tensor.FromArray([0.5f, 1.5f, 2f, 1f], 4);
        GradCheck.Check(t => training
            ? Ops.BatchNormalizationTraining(t[0], t[1], t[2], 1e-3f, null, null, 0.99f)
            : Ops.BatchNormalization(t[0], mean, variance, t[2], t[1]), [x, g, b], h: 1e-2f, what: training ? "training" : "inference");
    }

    [Fact]
    public void Batch_normalization_statistics_stay_accurate_for_a_large_offset_batch()
    {
        // 200,000 rows around 1000: a one-pass E[x^2] - E[x]^2 in float would lose the variance entirely.
        var x = Tensor.RandomUniform([200_000, 2], -1f, 1f, seed: 4) + 1000f;
        var mean = Tensor.Zeros([2]);
        var variance = Tensor.Zeros([2]);
        Ops.BatchNormalizationTraining(x, null, null, 1e-3f, mean, variance, 0f);
        double m = x.ToArray().Where((_, i) => i % 2 == 0).Average(v => (double)v);
        double v = x.ToArray().Where((_, i) => i % 2 == 0).Average(v => ((double)v - m) * ((double)v - m));
        Assert.Equal(m, mean.ToArray()[0], 3);
        Assert.Equal(v, variance.ToArray()[0], 3);
        Assert.InRange(variance.ToArray()[1], 0.32f, 0.35f);
    }

    [Theory]
    [InlineData(1), InlineData(2)]
    public void Layer_normalization_matches_pytorch(int axes)
    {
        bool one = axes == 1;
        var x = T(R.LnX, 3, 4, 5);
        var g = one ? T(R.LnLastGamma, 5) : T(R.LnTwoGamma, 4, 5);
        var b = one ? T(R.LnLastBeta, 5) : T(R.LnTwoBeta, 4, 5);
        var y = Ops.LayerNormalization(x, g, b, one ? [-1] : [1, 2]);
        TensorAssert.Close(one ? R.LnLastY : R.LnTwoY, y, atol: 1e-5f, rtol: 1e-5f);
        BackwardWeighted(y);
        TensorAssert.Close(one ? R.LnLastGradX : R.LnTwoGradX, x.Grad!, atol: 1e-5f, rtol: 1e-4f, what: "d/dx");
        TensorAssert.Close(one ? R.LnLastGradGamma : R.LnTwoGradGamma, g.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "d/dgamma");
        TensorAssert.Close(one ? R.LnLastGradBeta : R.LnTwoGradBeta, b.Grad!, atol: 1e-5f, rtol: 1e-5f, what: "d/dbeta");
    }

    [Fact]
    public void Layer_normalization_gradients_match_finite_differences()
    {
        var x = Tensor.RandomUniform([4, 6], -2f, 2f, seed: 11);
        var g = Tensor.RandomUniform([6], 0.5f, 1.5f, seed: 12);
        var b = Tensor.RandomUniform([6], -1f, 1f, seed: 13);
        GradCheck.Check(t => Ops.LayerNormalization(t[0], t[1], t[2]), [x, g, b], h: 1e-2f, what: "layer norm");
        GradCheck.Check(t => Ops.LayerNormalization(t[0]), [x.Clone()], h: 1e-2f, what: "layer norm without gamma and beta");
    }

    [Fact]
    public void Normalization_ops_reject_mismatched_parameters()
    {
        var x = Tensor.Zeros([2, 3]);
        Assert.Contains("3 values", Assert.Throws<ArgumentException>(() => Ops.BatchNormalization(x, Tensor.Zeros([2]), Tensor.Ones([3]))).Message);
        Assert.Contains("trailing", Assert.Throws<ArgumentException>(() => Ops.LayerNormalization(Tensor.Zeros([2, 3, 4]), axes: [1])).Message);
        Assert.Contains("gamma", Assert.Throws<ArgumentException>(() => Ops.LayerNormalization(x, Tensor.Ones([2]))).Message);
    }
}
