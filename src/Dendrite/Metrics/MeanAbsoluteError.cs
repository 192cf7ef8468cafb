namespace Dendrite.Metrics;

/// <summary>Mean absolute error over all values.</summary>
public sealed class MeanAbsoluteError(string name = "mean_absolute_error") : MeanMetric(name)
{
    /// <inheritdoc/>
    protected override double SampleValue(Tensor yTrue, Tensor yPred, int row) => RowError(yTrue, yPred, row, squared: false);

    internal static double RowError(Tensor yTrue, Tensor yPred, int row, bool squared)
    {
        int w = RowsOf(yPred).Width;
        if (yTrue.Size != yPred.Size) throw new ArgumentException($"y_true {yTrue.Shape} and y_pred {yPred.Shape} differ in size.");
        var p = yPred.AsSpan().Slice(row * w, w);
        var t = yTrue.AsSpan().Slice(row * w, w);
        double s = 0;
        for (int i = 0; i < w; i++) { double e = p[i] - t[i]; s += squared ? e * e : Math.Abs(e); }
        return s / w;
    }

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new MeanAbsoluteError(Name);
}
