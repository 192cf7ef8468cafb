namespace Dendrite.Metrics;

/// <summary>tp / (tp + fp) with predictions thresholded at 0.5 (Keras Precision).</summary>
public sealed class Precision(double threshold = 0.5, string name = "precision") : ConfusionCounts(threshold, name)
{
    /// <inheritdoc/>
    public override float Result() => TruePositives + FalsePositives == 0 ? 0f : (float)(TruePositives / (TruePositives + FalsePositives));

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new Precision(Threshold, Name);
}
