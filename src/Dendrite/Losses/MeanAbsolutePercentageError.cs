namespace Dendrite.Losses;

/// <summary>100 * mean(|(y_true - y_pred) / max(|y_true|, 1e-7)|) over the last axis.</summary>
public sealed class MeanAbsolutePercentageError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_percentage_error";
    /// <inheritdoc/>
    public override string ClassName => "MeanAbsolutePercentageError";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Align(yTrue, yPred);
        return Ops.Mul(MeanLastAxis(Ops.Abs(Ops.Div(Ops.Sub(yTrue, yPred), Ops.Maximum(Ops.Abs(yTrue), Tensor.Scalar(Epsilon))))), 100f);
    }
}
