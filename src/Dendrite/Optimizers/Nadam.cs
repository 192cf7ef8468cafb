using System.Text.Json.Nodes;

namespace Dendrite.Optimizers;

/// <summary>
/// Nadam (Adam with Nesterov momentum) as Keras computes it, with the momentum schedule
/// u_t = b1 (1 - 0.5 * 0.96^t) and its running product. Slot values whose next product would be subnormal are stored as
/// zero, as under TensorFlow's flush-to-zero (see Adam).
/// </summary>
public sealed class Nadam(LearningRate learningRate = default, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
    double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null)
    : Optimizer(learningRate, 0.001, weightDecay, clipnorm, clipvalue, globalClipnorm)
{
    private double _uProduct = 1.0, _ut, _ut1, _uProductNext;

    /// <inheritdoc/>
    public override string ClassName => "Nadam";
    /// <inheritdoc/>
    protected override int SlotCount => 2;

    /// <summary>Nadam's running momentum product is not a Keras-shaped variable here, so its slots are not saved (iterations and the learning rate are).</summary>
    protected internal override IEnumerable<(int Variable, int Slot)> KerasSlotOrder(int count) => [];

    /// <inheritdoc/>
    protected override void BeginStep()
    {
        double t = Iterations + 1;
        _ut = beta1 * (1 - 0.5 * Math.Pow(0.96, t));
        _ut1 = beta1 * (1 - 0.5 * Math.Pow(0.96, t + 1));
        _uProduct *= _ut;
        _uProductNext = _uProduct * _ut1;
    }

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, float[][] slots, float lr)
    {
        double t = Iterations + 1;
        float cM = (float)(_ut1 / (1 - _uProductNext)), cG = (float)((1 - _ut) / (1 - _uProduct));
        float vCorr = (float)(1 / (1 - Math.Pow(beta2, t)));
        FusedUpdates.Nadam(variable.Data, gradient.Data, variable.Size, slots[0], slots[1], lr, (float)beta1, (float)beta2, (float)epsilon, cM, cG, vCorr);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["beta_1"] = beta1; c["beta_2"] = beta2; c["epsilon"] = epsilon;
        return c;
    }
}
