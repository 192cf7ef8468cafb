namespace Dendrite.Losses;

/// <summary>sum(y_true * log(y_true / y_pred)) over the last axis, both clipped to [1e-7, 1].</summary>
public sealed class KLDivergence : Loss
{
    /// <inheritdoc/>
    public override string Name => "kl_divergence";
    /// <inheritdoc/>
    public override string ClassName => "KLDivergence";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Align(yTrue, yPred);
        var t = Ops.Clip(yTrue, Epsilon, 1f);
        var p = Ops.Clip(yPred, Epsilon, 1f);
        var v = Ops.Mul(t, Ops.Log(Ops.Div(t, p)));
        return v.Rank <= 1 ? v : Ops.Sum(v, -1);
    }
}
