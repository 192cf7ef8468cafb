using Dendrite.Metrics;

namespace Dendrite.Tests.Distributed;

/// <summary>
/// Metric states add up across replicas: a metric that read the sum of two metrics' states gives the result of one
/// metric that saw both batches (what data-parallel training relies on for its logs).
/// </summary>
public sealed class MetricStateTests
{
    public static TheoryData<string> Names => new() { "accuracy", "binary_accuracy", "mae", "mse", "rmse", "precision", "recall", "auc", "f1_score" };

    [Theory]
    [MemberData(nameof(Names))]
    public void SummedStatesGiveTheResultOverBothBatches(string name)
    {
        bool binary = name is "binary_accuracy" or "precision" or "recall" or "auc";
        int width = binary ? 1 : 3;
        var (t1, p1) = Batch(17, width, seed: 1);
        var (t2, p2) = Batch(11, width, seed: 2);
        Metric a = Metric.Get(name), b = Metric.Get(name), both = Metric.Get(name), merged = Metric.Get(name);
        a.UpdateState(t1, p1);
        b.UpdateState(t2, p2);
        both.UpdateState(t1, p1);
        both.UpdateState(t2, p2);
        Assert.Equal(a.StateSize, b.StateSize);
        Assert.True(a.StateSize > 0);
        var sa = new double[a.StateSize];
        var sb = new double[b.StateSize];
        a.WriteState(sa);
        b.WriteState(sb);
        for (int i = 0; i < sa.Length; i++) sa[i] += sb[i];
        merged.UpdateState(t1, p1);      // resolves "accuracy" the same way; the state read next replaces it
        merged.ReadState(sa);
        Assert.Equal(both.Result(), merged.Result(), 6);
        Assert.True(a.Result() != both.Result() || b.Result() != both.Result(), "the batches should give different results, so that the check can fail");
    }

    [Fact]
    public void AStateReadBeforeAnyBatchIsUsed()
    {
        var acc = new Accuracy();
        acc.ReadState([3.0, 4.0]);
        Assert.Equal(0.75f, acc.Result());
    }

    private static (Tensor True, Tensor Pred) Batch(int rows, int width, int seed)
    {
        var pred = Tensor.RandomUniform([rows, width], seed: seed);
        var rng = new System.Random(seed);
        var truth = new float[rows * width];
        for (int r = 0; r < rows; r++)
            if (width == 1) truth[r] = rng.Next(2);
            else truth[r * width + rng.Next(width)] = 1f;
        return (Tensor.FromArray(truth, [rows, width]), pred);
    }
}
