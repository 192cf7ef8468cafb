namespace Dendrite.Metrics;

/// <summary>Thresholded true/false positive/negative counts over every value, the base of precision and recall.</summary>
public abstract class ConfusionCounts(double threshold, string name) : Metric(name)
{
    /// <summary>The prediction threshold.</summary>
    public double Threshold => threshold;

    /// <summary>Weighted counts so far.</summary>
    protected double TruePositives, FalsePositives, FalseNegatives, TrueNegatives;

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        if (yTrue.Size != yPred.Size) throw new ArgumentException($"{Name}: y_true {yTrue.Shape} and y_pred {yPred.Shape} differ in size.");
        var (rows, width) = RowsOf(yPred);
        var p = yPred.AsSpan();
        var t = yTrue.AsSpan();
        for (int r = 0; r < rows; r++)
        {
            double w = WeightOf(sampleWeight, r);
            for (int i = r * width; i < (r + 1) * width; i++)
            {
                bool pred = p[i] > threshold, truth = t[i] > 0.5f;
                if (pred && truth) TruePositives += w;
                else if (pred) FalsePositives += w;
                else if (truth) FalseNegatives += w;
                else TrueNegatives += w;
            }
        }
    }

    /// <inheritdoc/>
    public override void ResetState() => TruePositives = FalsePositives = FalseNegatives = TrueNegatives = 0;

    /// <inheritdoc/>
    public override int StateSize => 4;

    /// <inheritdoc/>
    public override void WriteState(Span<double> state)
    {
        state[0] = TruePositives; state[1] = FalsePositives; state[2] = FalseNegatives; state[3] = TrueNegatives;
    }

    /// <inheritdoc/>
    public override void ReadState(ReadOnlySpan<double> state) =>
        (TruePositives, FalsePositives, FalseNegatives, TrueNegatives) = (state[0], state[1], state[2], state[3]);
}
