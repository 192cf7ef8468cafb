using System.Text.Json.Nodes;

namespace Dendrite.Regularizers;

/// <summary>l1 * sum(|x|) + l2 * sum(x^2); Keras defaults both 0.</summary>
public sealed class L1L2(double l1 = 0.0, double l2 = 0.0) : Regularizer
{
    /// <inheritdoc/>
    public override string ClassName => "L1L2";
    /// <inheritdoc/>
    public override Tensor Penalty(Tensor x) =>
        Ops.Add(Ops.Mul(Ops.Sum(Ops.Abs(x)), (float)l1), Ops.Mul(Ops.Sum(Ops.Square(x)), (float)l2));
    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["l1"] = l1, ["l2"] = l2 };
}
