namespace Dendrite.Metrics;

/// <summary>sqrt of the mean squared error over everything seen.</summary>
public sealed class RootMeanSquaredError(string name = "root_mean_squared_error") : MeanMetric(name)
{
    /// <inheritdoc/>
    protected override double SampleValue(Tensor yTrue, Tensor yPred, int row) => MeanAbsoluteError.RowError(yTrue, yPred, row, squared: true);

    /// <inheritdoc/>
    public override float Result() => MathF.Sqrt(base.Result());

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new RootMeanSquaredError(Name);
}
