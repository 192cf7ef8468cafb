using System.Text.Json.Nodes;

namespace Dendrite.Regularizers;

/// <summary>l2 * sum(x^2) (no 1/2, as Keras).</summary>
public sealed class L2(double l2 = 0.01) : Regularizer
{
    /// <inheritdoc/>
    public override string ClassName => "L2";
    /// <inheritdoc/>
    public override Tensor Penalty(Tensor x) => Ops.Mul(Ops.Sum(Ops.Square(x)), (float)l2);
    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["l2"] = l2 };
}
