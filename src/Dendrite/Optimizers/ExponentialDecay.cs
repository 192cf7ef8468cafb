namespace Dendrite.Optimizers;

/// <summary>initial * decayRate^(step / decaySteps), the exponent floored when <paramref name="staircase"/> (Keras ExponentialDecay).</summary>
public sealed class ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double Compute(long step)
    {
        double p = (double)step / decaySteps;
        return initialLearningRate * Math.Pow(decayRate, staircase ? Math.Floor(p) : p);
    }
}
