namespace Dendrite.Metrics;

/// <summary>
/// The metric the string "accuracy" names, resolved on the first batch as Keras does: binary accuracy when the
/// prediction's last axis is 1, sparse categorical when y_true has a lower rank (or a last axis of 1 against more
/// classes), else categorical accuracy.
/// </summary>
public sealed class Accuracy(string name = "accuracy") : Metric(name)
{
    private MeanMetric? _resolved;
    private double _total, _count;   // a state read before the first batch resolved the metric

    /// <summary>The concrete metric once the first batch was seen.</summary>
    public Metric? Resolved => _resolved;

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        _resolved ??= yPred.Shape[^1] == 1 ? new BinaryAccuracy(name: Name)
            : yTrue.Rank < yPred.Rank || yTrue.Shape[^1] == 1 ? new SparseCategoricalAccuracy(Name)
            : new CategoricalAccuracy(Name);
        _resolved.UpdateState(yTrue, yPred, sampleWeight);
    }

    /// <inheritdoc/>
    public override float Result() => _resolved?.Result() ?? (_count == 0 ? 0f : (float)(_total / _count));

    /// <inheritdoc/>
    public override void ResetState() { _resolved?.ResetState(); _total = _count = 0; }

    /// <inheritdoc/>
    public override int StateSize => 2;

    /// <inheritdoc/>
    public override void WriteState(Span<double> state)
    {
        if (_resolved is not null) _resolved.WriteState(state);
        else { state[0] = _total; state[1] = _count; }
    }

    /// <inheritdoc/>
    public override void ReadState(ReadOnlySpan<double> state)
    {
        if (_resolved is not null) _resolved.ReadState(state);
        else { _total = state[0]; _count = state[1]; }
    }

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new Accuracy(Name);
}
