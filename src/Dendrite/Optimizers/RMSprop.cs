using System.Text.Json.Nodes;

namespace Dendrite.Optimizers;

/// <summary>
/// RMSprop as Keras computes it: v = rho v + (1 - rho) g^2; (centered: subtract the square of the running mean of g);
/// step = lr g / sqrt(v + eps); with momentum m = momentum m + step, w -= m; else w -= step. Slot values whose next
/// product would be subnormal are stored as zero, as under TensorFlow's flush-to-zero (see Adam).
/// </summary>
public sealed class RMSprop(LearningRate learningRate = default, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7, bool centered = false,
    double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null)
    : Optimizer(learningRate, 0.001, weightDecay, clipnorm, clipvalue, globalClipnorm)
{
    /// <inheritdoc/>
    public override string ClassName => "RMSprop";
    /// <inheritdoc/>
    protected override int SlotCount => 3;

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, float[][] slots, float lr) =>
        FusedUpdates.RmsProp(variable.Data, gradient.Data, variable.Size, slots[0], slots[1], slots[2], lr, (float)rho, (float)momentum,
            (float)epsilon, centered);

    /// <summary>Keras's order: every velocity, then every momentum (when momentum > 0), then every average gradient (when centered).</summary>
    protected internal override IEnumerable<(int Variable, int Slot)> KerasSlotOrder(int count)
    {
        for (int v = 0; v < count; v++) yield return (v, 0);
        if (momentum > 0) for (int v = 0; v < count; v++) yield return (v, 1);
        if (centered) for (int v = 0; v < count; v++) yield return (v, 2);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["rho"] = rho; c["momentum"] = momentum; c["epsilon"] = epsilon; c["centered"] = centered;
        return c;
    }
}
