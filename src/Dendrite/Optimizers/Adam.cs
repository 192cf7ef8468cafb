using System.Text.Json.Nodes;

namespace Dendrite.Optimizers;

/// <summary>
/// Adam as Keras computes it: m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); alpha = lr sqrt(1 - b2^t) / (1 - b1^t);
/// w -= alpha m / (sqrt(v) + eps), with v replaced by its running maximum under AMSGrad.
/// </summary>
public class Adam(LearningRate learningRate = default, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false,
    double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null)
    : Optimizer(learningRate, 0.001, weightDecay, clipnorm, clipvalue, globalClipnorm)
{
    /// <inheritdoc/>
    public override string ClassName => "Adam";
    /// <inheritdoc/>
    protected override int SlotCount => amsgrad ? 3 : 2;

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, float[][] slots, float lr)
    {
        double t = Iterations + 1;
        float alpha = (float)(lr * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t)));
        FusedUpdates.Adam(variable.Data, gradient.Data, variable.Size, slots[0], slots[1], amsgrad ? slots[2] : null,
            alpha, (float)beta1, (float)beta2, (float)epsilon);
    }

    /// <summary>Keras's order: m and v interleaved per variable, then every AMSGrad v-hat.</summary>
    protected internal override IEnumerable<(int Variable, int Slot)> KerasSlotOrder(int count)
    {
        for (int v = 0; v < count; v++) { yield return (v, 0); yield return (v, 1); }
        if (amsgrad) for (int v = 0; v < count; v++) yield return (v, 2);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["beta_1"] = beta1; c["beta_2"] = beta2; c["epsilon"] = epsilon; c["amsgrad"] = amsgrad;
        return c;
    }
}
