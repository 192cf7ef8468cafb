namespace Dendrite.Losses;

/// <summary>mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))^2) over the last axis.</summary>
public sealed class MeanSquaredLogarithmicError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_logarithmic_error";
    /// <inheritdoc/>
    public override string ClassName => "MeanSquaredLogarithmicError";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Align(yTrue, yPred);
        return MeanLastAxis(Ops.Square(Ops.Sub(Ops.Log(Ops.Add(Ops.Maximum(yPred, Tensor.Scalar(Epsilon)), 1f)), Ops.Log(Ops.Add(Ops.Maximum(yTrue, Tensor.Scalar(Epsilon)), 1f)))));
    }
}
