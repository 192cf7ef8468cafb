namespace Dendrite.Optimizers;

/// <summary>values[0] up to boundaries[0], values[1] up to boundaries[1], ..., values[^1] after (Keras PiecewiseConstantDecay).</summary>
public sealed class PiecewiseConstant : LearningRateSchedule
{
    private readonly long[] _boundaries;
    private readonly double[] _values;

    /// <summary>Needs one more value than boundaries, boundaries increasing.</summary>
    public PiecewiseConstant(long[] boundaries, double[] values)
    {
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
