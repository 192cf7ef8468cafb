using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

public class SoftmaxAndLossTests
{
    public static TheoryData<int> Cases()
    {
        var d = new TheoryData<int>();
        for (int i = 0; i < OpReferences.Softmax.Length; i++) d.Add(i);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Softmax_and_log_softmax_match_pytorch_even_for_1000(int index)
    {
        var c = OpReferences.Softmax[index];
        var x = Tensor.FromArray(c.X, 2, 3);
        x.RequiresGrad = true;
        var y = c.Log ? Ops.LogSoftmax(x, c.Axis) : Ops.Softmax(x, c.Axis);
        Assert.All(y.ToArray(), v => Assert.False(float.IsNaN(v) || float.IsInfinity(v)));
        TensorAssert.Close(c.Y, y, atol: 1e-6f, rtol: 1e-5f);
        Ops.Sum(y * Tensor.Linspace(-1f, 1.5f, 6).Reshape(2, 3)).Backward();
        TensorAssert.Close(c.Grad, x.Grad!, atol: 1e-6f, rtol: 1e-5f, what: "gradient");
    }

    [Theory]
    [InlineData(false, -1), InlineData(false, 0), InlineData(true, -1), InlineData(true, 1)]
    public void Softmax_gradients_match_finite_differences(bool log, int axis)
    {
        var x = Tensor.RandomUniform([3, 4], -2f, 2f, seed: 5);
        GradCheck.Check(t => log ? Ops.LogSoftmax(t[0], axis) : Ops.Softmax(t[0], axis), [x]);
    }

    [Fact]
    public void Softmax_cross_entropy_matches_pytorch()
    {
        var z = Tensor.FromArray(OpReferences.CeLogits, 3, 3);
        var t = Tensor.FromArray(OpReferences.CeLabels, 3, 3);
        z.RequiresGrad = t.RequiresGrad = true;
        var loss = Ops.SoftmaxCrossEntropyWithLogits(z, t);
        TensorAssert.ShapeIs([3], loss);
        TensorAssert.Close(OpReferences.CeLoss, loss, atol: 1e-5f);
        Ops.Sum(loss * Tensor.Linspace(-1f, 1.5f, 3)).Backward();
        TensorAssert.Close(OpReferences.CeGradLogits, z.Grad!, atol: 1e-6f);
        TensorAssert.Close(OpReferences.CeGradLabels, t.Grad!, atol: 1e-4f, rtol: 1e-5f);
    }

    /// <summary>Short rows (at most 64 values: one pass over the whole block) and long rows (per-row SpanMath loops)
    /// against a float64 loop, with rows of very different scales in one block.</summary>
    [Theory]
    [InlineData(1), InlineData(10), InlineData(64), InlineData(65), InlineData(300)]
    public void Softmax_and_its_cross_entropy_match_a_float64_loop_for_short_and_long_rows(int d)
    {
        const int rows = 37;
        var x = Tensor.RandomUniform([rows, d], -30f, 30f, seed: d);
        var xs = x.ToArray();
        for (int j = 0; j < d; j++) xs[j] = 1000f + j;          // a row far from zero
        for (int j = 0; j < d; j++) xs[d + j] = -1e4f * (j % 3);   // a row with one repeated maximum
        x = Tensor.FromArray(xs, rows, d);
        var labels = Tensor.RandomUniform([rows, d], 0f, 1f, seed: d + 1);
        var ts = labels.ToArray();
        double[] p = new double[rows * d], lp = new double[rows * d], ce = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < d; j++) max = Math.Max(max, xs[r * d + j]);
            for (int j = 0; j < d; j++) sum += Math.Exp(xs[r * d + j] - max);
            for (int j = 0; j < d; j++)
            {
                lp[r * d + j] = xs[r * d + j] - max - Math.Log(sum);
                p[r * d + j] = Math.Exp(lp[r * d + j]);
                ce[r] -= ts[r * d + j] * lp[r * d + j];
            }
        }
        TensorAssert.Close(p.Select(v => (float)v).ToArray(), Ops.Softmax(x), atol: 1e-7f, rtol: 2e-6f, what: "softmax");
        TensorAssert.Close(lp.Select(v => (float)v).ToArray(), Ops.LogSoftmax(x), atol: 2e-6f, rtol: 2e-6f, what: "log-softmax");
        TensorAssert.Close(ce.Select(v => (float)v).ToArray(), Ops.SoftmaxCrossEntropyWithLogits(x, labels), atol: 1e-4f, rtol: 2e-6f, what: "cross-entropy");
    }

    [Fact]
    public void Sigmoid_cross_entropy_matches_pytorch()
    {
        var z = Tensor.FromArray(OpReferences.BceLogits, 3, 2);
        var t = Tensor.FromArray(OpReferences.BceLabels, 3, 2);
        z.RequiresGrad = true;
        var loss = Ops.SigmoidCrossEntropyWithLogits(z, t);
        TensorAssert.Close(OpReferences.BceLoss, loss, atol: 1e-6f);
        Ops.Sum(loss * Tensor.Linspace(-1f, 1.5f, 6).Reshape(3, 2)).Backward();
        TensorAssert.Close(OpReferences.BceGradLogits, z.Grad!, atol: 1e-6f);
    }

    [Fact]
    public void Fused_losses_match_finite_differences()
    {
        var z = Tensor.RandomUniform([4, 5], -3f, 3f, seed: 6);
        var t = Tensor.RandomUniform([4, 5], 0f, 1f, seed: 7);
        GradCheck.Check(x => Ops.SoftmaxCrossEntropyWithLogits(x[0], x[1]), [z, t], what: "softmax CE");
        GradCheck.Check(x => Ops.SigmoidCrossEntropyWithLogits(x[0], x[1]), [z.Clone(), t.Clone()], what: "sigmoid CE");
    }
}
