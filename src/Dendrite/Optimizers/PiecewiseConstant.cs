namespace Dendrite.Optimizers;

/// <summary>values[0] up to boundaries[0], values[1] up to boundaries[1], ..., values[^1] after (Keras PiecewiseConstantDecay).</summary>
public sealed class PiecewiseConstant : LearningRateSchedule
{
    private readonly long[] _boundaries;
    private readonly double[] _values;

    /// <summary>Needs one more value than boundaries, boundaries strictly increasing, values finite and positive.</summary>
    public PiecewiseConstant(long[] boundaries, double[] values)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        for (int i = 1; i < boundaries.Length; i++)
            if (boundaries[i] <= boundaries[i - 1])
                throw new ArgumentException($"PiecewiseConstant: boundaries must increase, got {boundaries[i - 1]} then {boundaries[i]} at index {i}.", nameof(boundaries));
        foreach (double v in values) ScheduleArguments.Rate(v, nameof(PiecewiseConstant), nameof(values));
        if (values.Length != boundaries.Length + 1) throw new ArgumentException($"PiecewiseConstant needs {boundaries.Length + 1} values for {boundaries.Length} boundaries, got {values.Length}.");
        _boundaries = (long[])boundaries.Clone();
        _values = (double[])values.Clone();
    }

    /// <inheritdoc/>
    public override double Compute(long step)
    {
        for (int i = 0; i < _boundaries.Length; i++) if (step <= _boundaries[i]) return _values[i];
        return _values[^1];
    }
}
