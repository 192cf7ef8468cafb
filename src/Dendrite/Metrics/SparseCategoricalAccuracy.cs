namespace Dendrite.Metrics;

/// <summary>How often argmax(y_pred) equals the integer label y_true.</summary>
public sealed class SparseCategoricalAccuracy(string name = "sparse_categorical_accuracy") : MeanMetric(name)
{
    /// <inheritdoc/>
    protected override double SampleValue(Tensor yTrue, Tensor yPred, int row)
    {
        int w = RowsOf(yPred).Width;
        return ArgMax(yPred.AsSpan().Slice(row * w, w)) == (int)yTrue.AsSpan()[row] ? 1 : 0;
    }

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new SparseCategoricalAccuracy(Name);
}
