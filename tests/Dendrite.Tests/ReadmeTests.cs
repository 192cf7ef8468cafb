using Dendrite.Tests.TestKit;

namespace Dendrite.Tests;

/// <summary>The README's quick start, verbatim, with checks of what it computes.</summary>
public class ReadmeTests
{
    [Fact]
    public void Engine_quick_start_runs_and_its_gradients_are_right()
    {
        var x = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        var w = Tensor.RandomNormal([2, 3], stddev: 0.1f, seed: 42);
        var b = Tensor.Zeros([3]);
        w.RequiresGrad = b.RequiresGrad = true;

        var logits = Ops.MatMul(x, w) + b;
        var labels = Ops.OneHot([2, 0], depth: 3);
        var loss = Ops.Mean(Ops.SoftmaxCrossEntropyWithLogits(logits, labels));
        loss.Backward();

        // dLoss/db = mean over rows of (softmax - onehot); dLoss/dw = x^T (softmax - onehot) / 2.
        var p = Ops.Softmax(Ops.MatMul(x, w.Detach())).ToArray();
        var t = labels.ToArray();
        var expectedB = new float[3];
        var expectedW = new float[6];
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 3; c++)
            {
                float d = (p[r * 3 + c] - t[r * 3 + c]) / 2f;
                expectedB[c] += d;
                expectedW[0 * 3 + c] += x[r, 0] * d;
                expectedW[1 * 3 + c] += x[r, 1] * d;
            }
        TensorAssert.Close(expectedB, b.Grad!, atol: 1e-6f);
        TensorAssert.Close(expectedW, w.Grad!, atol: 1e-6f);
        Assert.Contains("[[", w.Grad!.ToString());
    }
}
