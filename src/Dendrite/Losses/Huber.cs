using System.Text.Json.Nodes;

namespace Dendrite.Losses;

/// <summary>Huber loss: 0.5 e^2 for |e| &lt;= delta, else delta (|e| - 0.5 delta); mean over the last axis.</summary>
public sealed class Huber(double delta = 1.0) : Loss
{
    /// <inheritdoc/>
    public override string Name => "huber_loss";
    /// <inheritdoc/>
    public override string ClassName => "Huber";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Align(yTrue, yPred);
        var abs = Ops.Abs(Ops.Sub(yPred, yTrue));
        var quadratic = Ops.Minimum(abs, Tensor.Scalar((float)delta));
        var linear = Ops.Sub(abs, quadratic);
        return MeanLastAxis(Ops.Add(Ops.Mul(Ops.Square(quadratic), 0.5f), Ops.Mul(linear, (float)delta)));
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["delta"] = delta; return c; }
}
