namespace Dendrite.Losses;

/// <summary>mean((y_pred - y_true)^2) over the last axis.</summary>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_error";
    /// <inheritdoc/>
    public override string ClassName => "MeanSquaredError";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Align(yTrue, yPred);
        return MeanLastAxis(Ops.Square(Ops.Sub(yPred, yTrue)));
    }
}
