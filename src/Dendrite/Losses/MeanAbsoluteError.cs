namespace Dendrite.Losses;

/// <summary>mean(|y_pred - y_true|) over the last axis.</summary>
public sealed class MeanAbsoluteError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_error";
    /// <inheritdoc/>
    public override string ClassName => "MeanAbsoluteError";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Align(yTrue, yPred);
        return MeanLastAxis(Ops.Abs(Ops.Sub(yPred, yTrue)));
    }
}
