namespace Dendrite.Metrics;

/// <summary>The weighted mean of values given to <see cref="Add"/> (Keras Mean; tracks the loss).</summary>
public sealed class Mean(string name = "mean") : MeanMetric(name)
{
    /// <summary>Adds a value with a weight.</summary>
    public new void Add(double value, double weight = 1) => base.Add(value, weight);

    /// <inheritdoc/>
    protected override double SampleValue(Tensor yTrue, Tensor yPred, int row) => yPred.AsSpan()[row];

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new Mean(Name);
}
