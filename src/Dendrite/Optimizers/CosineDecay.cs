namespace Dendrite.Optimizers;

/// <summary>initial * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decaySteps) / decaySteps)) + alpha) (Keras CosineDecay without warm-up).</summary>
public sealed class CosineDecay(double initialLearningRate, long decaySteps, double alpha = 0.0) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double Compute(long step)
    {
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, decaySteps) / decaySteps));
        return initialLearningRate * ((1 - alpha) * cosine + alpha);
    }
}
