namespace Dendrite.Losses;

/// <summary>mean(max(1 - y_true * y_pred, 0)) over the last axis; 0/1 labels are mapped to -1/1 first, as Keras does.</summary>
public sealed class Hinge : Loss
{
    /// <inheritdoc/>
    public override string Name => "hinge";
    /// <inheritdoc/>
    public override string ClassName => "Hinge";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Align(yTrue, yPred);
        var t = yTrue.AsSpan();
        bool binary01 = true;
        foreach (float v in t) binary01 &= v == 0f || v == 1f;
        if (binary01) yTrue = Ops.Add(Ops.Mul(yTrue, 2f), -1f);
        return MeanLastAxis(Ops.Relu(Ops.Sub(Tensor.Scalar(1f), Ops.Mul(yTrue, yPred))));
    }
}
