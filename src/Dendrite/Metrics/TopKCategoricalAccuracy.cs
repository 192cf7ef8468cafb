namespace Dendrite.Metrics;

/// <summary>How often the true class (one-hot) is among the k highest predictions.</summary>
public sealed class TopKCategoricalAccuracy(int k = 5, string name = "top_k_categorical_accuracy") : MeanMetric(name)
{
    /// <inheritdoc/>
    protected override double SampleValue(Tensor yTrue, Tensor yPred, int row)
    {
        int w = RowsOf(yPred).Width;
        var p = yPred.AsSpan().Slice(row * w, w);
        int label = ArgMax(yTrue.AsSpan().Slice(row * w, w));
        int higher = 0;
        for (int i = 0; i < w; i++) if (p[i] > p[label]) higher++;
        return higher < k ? 1 : 0;
    }

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new TopKCategoricalAccuracy(k, Name);
}
