namespace Dendrite.Metrics;

/// <summary>tp / (tp + fn) with predictions thresholded at 0.5 (Keras Recall).</summary>
public sealed class Recall(double threshold = 0.5, string name = "recall") : ConfusionCounts(threshold, name)
{
    /// <inheritdoc/>
    public override float Result() => TruePositives + FalseNegatives == 0 ? 0f : (float)(TruePositives / (TruePositives + FalseNegatives));

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new Recall(Threshold, Name);
}
