using Dendrite.Metrics;
using Dendrite.Tests.Models;

namespace Dendrite.Tests.Metrics;

/// <summary>Streaming metrics against scikit-learn on fixed labels, fed in uneven batches.</summary>
public class MetricReferenceTests
{
    private static float Stream(Metric m, float[] yTrue, float[] yPred, int width)
    {
        int rows = yTrue.Length / width;
        m.ResetState();
        int[] cuts = [0, 7, 8, 19, rows];
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            int a = Math.Min(cuts[i], rows), b = Math.Min(cuts[i + 1], rows);
            if (b <= a) continue;
            m.UpdateState(Tensor.FromArray(yTrue[(a * width)..(b * width)], b - a, width), Tensor.FromArray(yPred[(a * width)..(b * width)], b - a, width));
        }
        return m.Result();
    }

    [Fact]
    public void Binary_metrics_match_scikit_learn()
    {
        float[] t = KerasReferences.BinTrue, p = KerasReferences.BinProb;
        Assert.Equal(KerasReferences.BinAccuracy, Stream(Metric.Get("accuracy"), t, p, 1), 6);
        Assert.Equal(KerasReferences.BinAccuracy, Stream(new BinaryAccuracy(), t, p, 1), 6);
        Assert.Equal(KerasReferences.BinPrecision, Stream(new Precision(), t, p, 1), 6);
        Assert.Equal(KerasReferences.BinRecall, Stream(new Recall(), t, p, 1), 6);
        Assert.Equal(KerasReferences.BinF1, Stream(new F1Score(threshold: 0.5), t, p, 1), 6);
        // 200 thresholds approximate the exact ROC area.
        Assert.Equal(KerasReferences.BinRocAuc, Stream(new AUC(), t, p, 1), 2);
    }

    [Fact]
    public void Categorical_metrics_match_scikit_learn()
    {
        float[] t = KerasReferences.CatTrueOneHot, p = KerasReferences.CatProb;
        Assert.Equal(KerasReferences.CatAccuracy, Stream(Metric.Get("accuracy"), t, p, 3), 6);
        Assert.Equal(KerasReferences.CatAccuracy, Stream(new CategoricalAccuracy(), t, p, 3), 6);
        Assert.Equal(KerasReferences.CatTop2, Stream(new TopKCategoricalAccuracy(k: 2), t, p, 3), 6);
        Assert.Equal(KerasReferences.CatF1Macro, Stream(new F1Score(), t, p, 3), 6);
        Assert.Equal(KerasReferences.CatF1Micro, Stream(new F1Score(average: "micro"), t, p, 3), 6);
        Assert.Equal(KerasReferences.CatF1Weighted, Stream(new F1Score(average: "weighted"), t, p, 3), 6);
        var labels = Enumerable.Range(0, 30).Select(i => (float)Array.IndexOf(t[(i * 3)..(i * 3 + 3)], 1f)).ToArray();
        var sparse = Metric.Get("accuracy");
        sparse.UpdateState(Tensor.FromArray(labels), Tensor.FromArray(p, 30, 3));
        Assert.IsType<SparseCategoricalAccuracy>(((Accuracy)sparse).Resolved);
        Assert.Equal(KerasReferences.CatAccuracy, sparse.Result(), 6);
    }

    [Fact]
    public void Regression_metrics_by_hand()
    {
        var yt = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var yp = Tensor.FromArray([1f, 3f, 1f, 4f], 2, 2);
        Assert.Equal(0.75f, Stream(new MeanAbsoluteError(), yt.ToArray(), yp.ToArray(), 2), 6);
        Assert.Equal(1.25f, Stream(new MeanSquaredError(), yt.ToArray(), yp.ToArray(), 2), 6);
        Assert.Equal(MathF.Sqrt(1.25f), Stream(new RootMeanSquaredError(), yt.ToArray(), yp.ToArray(), 2), 6);
    }

    [Fact]
    public void Sample_weights_weight_the_mean()
    {
        var m = new BinaryAccuracy();
        m.UpdateState(Tensor.FromArray([1f, 0f], 2, 1), Tensor.FromArray([0.9f, 0.9f], 2, 1), Tensor.FromArray([3f, 1f]));
        Assert.Equal(0.75f, m.Result(), 6);
    }
}
