namespace Dendrite.Metrics;

/// <summary>Mean squared error over all values.</summary>
public sealed class MeanSquaredError(string name = "mean_squared_error") : MeanMetric(name)
{
    /// <inheritdoc/>
    protected override double SampleValue(Tensor yTrue, Tensor yPred, int row) => MeanAbsoluteError.RowError(yTrue, yPred, row, squared: true);

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new MeanSquaredError(Name);
}
