namespace Dendrite.Optimizers;

/// <summary>initial * decayRate^(step / decaySteps), the exponent floored when staircase is set (Keras ExponentialDecay).</summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    private readonly double _initial;
    private readonly long _decaySteps;
    private readonly double _decayRate;
    private readonly bool _staircase;

    /// <summary>An exponential decay of <paramref name="initialLearningRate"/> (finite, positive) by <paramref name="decayRate"/>
    /// (finite, positive) every <paramref name="decaySteps"/> (positive) steps.</summary>
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
    {
        _initial = ScheduleArguments.Rate(initialLearningRate, nameof(ExponentialDecay), nameof(initialLearningRate));
        _decaySteps = ScheduleArguments.Steps(decaySteps, nameof(ExponentialDecay), nameof(decaySteps));
        _decayRate = ScheduleArguments.Rate(decayRate, nameof(ExponentialDecay), nameof(decayRate));
        _staircase = staircase;
    }

    /// <inheritdoc/>
    public override double Compute(long step)
    {
        double p = (double)step / _decaySteps;
        return _initial * Math.Pow(_decayRate, _staircase ? Math.Floor(p) : p);
    }
}
