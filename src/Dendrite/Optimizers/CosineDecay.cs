namespace Dendrite.Optimizers;

/// <summary>initial * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decaySteps) / decaySteps)) + alpha) (Keras CosineDecay without warm-up).</summary>
public sealed class CosineDecay : LearningRateSchedule
{
    private readonly double _initial;
    private readonly long _decaySteps;
    private readonly double _alpha;

    /// <summary>A cosine decay from <paramref name="initialLearningRate"/> (finite, positive) over <paramref name="decaySteps"/>
    /// (positive) steps down to <paramref name="alpha"/> (in [0, 1]) times the initial rate.</summary>
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha = 0.0)
    {
        _initial = ScheduleArguments.Rate(initialLearningRate, nameof(CosineDecay), nameof(initialLearningRate));
        _decaySteps = ScheduleArguments.Steps(decaySteps, nameof(CosineDecay), nameof(decaySteps));
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"CosineDecay: alpha must be in [0, 1], got {alpha}.");
        _alpha = alpha;
    }

    /// <inheritdoc/>
    public override double Compute(long step)
    {
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, _decaySteps) / _decaySteps));
        return _initial * ((1 - _alpha) * cosine + _alpha);
    }
}
