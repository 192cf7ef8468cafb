namespace Dendrite.Metrics;

/// <summary>How often argmax(y_pred) equals argmax(y_true) (one-hot targets).</summary>
public sealed class CategoricalAccuracy(string name = "categorical_accuracy") : MeanMetric(name)
{
    /// <inheritdoc/>
    protected override double SampleValue(Tensor yTrue, Tensor yPred, int row)
    {
        int w = RowsOf(yPred).Width;
        return ArgMax(yPred.AsSpan().Slice(row * w, w)) == ArgMax(yTrue.AsSpan().Slice(row * w, w)) ? 1 : 0;
    }

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new CategoricalAccuracy(Name);
}
