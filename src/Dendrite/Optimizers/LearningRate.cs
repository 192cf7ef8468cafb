namespace Dendrite.Optimizers;

/// <summary>
/// A learning rate given to an optimizer: a number (<c>learningRate: 0.001</c>) or a schedule
/// (<c>learningRate: new ExponentialDecay(0.01, 1000, 0.9)</c>). The default means the optimizer's Keras default.
/// </summary>
public readonly struct LearningRate
{
    private LearningRate(double? value, LearningRateSchedule? schedule) { Value = value; Schedule = schedule; }

    /// <summary>A constant rate, when given as a number.</summary>
    public double? Value { get; }

    /// <summary>The schedule, when given as one.</summary>
    public LearningRateSchedule? Schedule { get; }

    /// <summary>A constant learning rate.</summary>
    public static implicit operator LearningRate(double value) => new(value, null);

    /// <summary>A scheduled learning rate.</summary>
    public static implicit operator LearningRate(LearningRateSchedule schedule) => new(null, schedule ?? throw new ArgumentNullException(nameof(schedule)));

    internal double Initial(double keras) => Value ?? Schedule?.Compute(0) ?? keras;
}
