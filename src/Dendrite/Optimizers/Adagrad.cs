using System.Text.Json.Nodes;

namespace Dendrite.Optimizers;

/// <summary>Adagrad: acc += g^2 (starting at 0.1); w -= lr g / sqrt(acc + eps).</summary>
public sealed class Adagrad(LearningRate learningRate = default, double initialAccumulatorValue = 0.1, double epsilon = 1e-7,
    double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null)
    : Optimizer(learningRate, 0.001, weightDecay, clipnorm, clipvalue, globalClipnorm)
{
    /// <inheritdoc/>
    public override string ClassName => "Adagrad";
    /// <inheritdoc/>
    protected override int SlotCount => 1;
    /// <inheritdoc/>
    protected override float InitialSlotValue => (float)initialAccumulatorValue;

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, float[][] slots, float lr) =>
        FusedUpdates.Adagrad(variable.Data, gradient.Data, variable.Size, slots[0], lr, (float)epsilon);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["initial_accumulator_value"] = initialAccumulatorValue; c["epsilon"] = epsilon;
        return c;
    }
}
