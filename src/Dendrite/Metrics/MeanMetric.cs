namespace Dendrite.Metrics;

/// <summary>A weighted mean of per-sample values, the base of the accuracy and error metrics.</summary>
public abstract class MeanMetric(string name) : Metric(name)
{
    private double _total, _count;

    /// <summary>The per-sample value for row <paramref name="row"/> of the batch.</summary>
    protected abstract double SampleValue(Tensor yTrue, Tensor yPred, int row);

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        int rows = RowsOf(yPred).Rows;
        if (RowsOf(yTrue).Rows != rows)
            throw new ArgumentException($"{Name}: y_true has {RowsOf(yTrue).Rows} samples but y_pred has {rows}.");
        for (int r = 0; r < rows; r++)
        {
            double w = WeightOf(sampleWeight, r);
            _total += w * SampleValue(yTrue, yPred, r);
            _count += w;
        }
    }

    /// <summary>Adds an already computed value (the loss tracker uses this).</summary>
    internal void Add(double value, double weight) { _total += value * weight; _count += weight; }

    /// <inheritdoc/>
    public override float Result() => _count == 0 ? 0f : (float)(_total / _count);

    /// <inheritdoc/>
    public override void ResetState() { _total = 0; _count = 0; }

    /// <inheritdoc/>
    public override int StateSize => 2;

    /// <inheritdoc/>
    public override void WriteState(Span<double> state) { state[0] = _total; state[1] = _count; }

    /// <inheritdoc/>
    public override void ReadState(ReadOnlySpan<double> state) { _total = state[0]; _count = state[1]; }
}
