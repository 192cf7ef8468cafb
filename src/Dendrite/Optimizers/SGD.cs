using System.Text.Json.Nodes;

namespace Dendrite.Optimizers;

/// <summary>Gradient descent with optional momentum: m = momentum m - lr g; w += m (Nesterov: w += momentum m - lr g).</summary>
public sealed class SGD(LearningRate learningRate = default, double momentum = 0.0, bool nesterov = false,
    double? weightDecay = null, double? clipnorm = null, double? clipvalue = null, double? globalClipnorm = null)
    : Optimizer(learningRate, 0.01, weightDecay, clipnorm, clipvalue, globalClipnorm)
{
    /// <inheritdoc/>
    public override string ClassName => "SGD";
    /// <inheritdoc/>
    protected override int SlotCount => momentum != 0 ? 1 : 0;

    /// <inheritdoc/>
    protected override void Update(Tensor variable, Tensor gradient, float[][] slots, float lr) =>
        FusedUpdates.Sgd(variable.Data, gradient.Data, variable.Size, momentum != 0 ? slots[0] : null, lr, (float)momentum, nesterov);

    /// <summary>Plain SGD (no momentum, weight decay or clipping) lets the ops apply its step; see <see cref="Optimizer.FusedStepRate"/>.</summary>
    internal override float FusedStepRate() =>
        momentum == 0 && WeightDecay is null or 0 && Clipnorm is null && Clipvalue is null && GlobalClipnorm is null && !FusedUpdatesDisabled
            ? (float)LearningRate : 0f;

    /// <summary>When true on this thread, every update runs as its own pass (tests compare the two).</summary>
    [ThreadStatic] internal static bool FusedUpdatesDisabled;

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["momentum"] = momentum; c["nesterov"] = nesterov; return c; }
}
