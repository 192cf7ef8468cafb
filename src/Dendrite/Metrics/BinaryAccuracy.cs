namespace Dendrite.Metrics;

/// <summary>How often (y_pred &gt; threshold) equals y_true, averaged over each sample's values.</summary>
public sealed class BinaryAccuracy(double threshold = 0.5, string name = "binary_accuracy") : MeanMetric(name)
{
    /// <inheritdoc/>
    protected override double SampleValue(Tensor yTrue, Tensor yPred, int row)
    {
        int w = RowsOf(yPred).Width;
        var p = yPred.AsSpan().Slice(row * w, w);
        var t = yTrue.AsSpan().Slice(row * w, w);
        int hits = 0;
        for (int i = 0; i < w; i++) hits += (p[i] > threshold ? 1f : 0f) == t[i] ? 1 : 0;
        return (double)hits / w;
    }

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new BinaryAccuracy(threshold, Name);
}
