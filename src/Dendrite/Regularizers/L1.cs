using System.Text.Json.Nodes;

namespace Dendrite.Regularizers;

/// <summary>l1 * sum(|x|).</summary>
public sealed class L1(double l1 = 0.01) : Regularizer
{
    /// <inheritdoc/>
    public override string ClassName => "L1";
    /// <inheritdoc/>
    public override Tensor Penalty(Tensor x) => Ops.Mul(Ops.Sum(Ops.Abs(x)), (float)l1);
    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["l1"] = l1 };
}
