namespace Dendrite.Losses;

/// <summary>mean(log(cosh(y_pred - y_true))) over the last axis, computed as x + softplus(-2x) - log 2.</summary>
public sealed class LogCosh : Loss
{
    /// <inheritdoc/>
    public override string Name => "log_cosh";
    /// <inheritdoc/>
    public override string ClassName => "LogCosh";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Align(yTrue, yPred);
        return MeanLastAxis(LogCoshOf(Ops.Sub(yPred, yTrue)));
    }

    private static Tensor LogCoshOf(Tensor x) => Ops.Add(Ops.Add(x, Ops.Softplus(Ops.Mul(x, -2f))), -MathF.Log(2f));
}
