namespace Dendrite.Optimizers;

/// <summary>A learning rate that depends on the optimizer step (Keras LearningRateSchedule).</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The rate at optimizer step <paramref name="step"/> (0-based).</summary>
    public abstract double Compute(long step);
}
