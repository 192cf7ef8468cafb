namespace Dendrite.Metrics;

/// <summary>
/// The metric the string "accuracy" names, resolved on the first batch as Keras does: binary accuracy when the
/// prediction's last axis is 1, sparse categorical when y_true has a lower rank (or a last axis of 1 against more
/// classes), else categorical accuracy.
/// </summary>
public sealed class Accuracy(string name = "accuracy") : Metric(name)
{
    private MeanMetric? _resolved;

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
    public override float Result() => _resolved?.Result() ?? 0f;

    /// <inheritdoc/>
    public override void ResetState() => _resolved?.ResetState();

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new Accuracy(Name);
}
