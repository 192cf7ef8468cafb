using System.Text.Json.Nodes;

namespace Dendrite.Losses;

/// <summary>
/// Binary cross-entropy, mean over the last axis. From probabilities they are clipped to [1e-7, 1 - 1e-7]; when the
/// prediction is a sigmoid output (or <paramref name="fromLogits"/>) it is computed from the logits, fused and stable.
/// Label smoothing moves targets towards 0.5.
/// </summary>
public sealed class BinaryCrossentropy(bool fromLogits = false, double labelSmoothing = 0.0) : Loss
{
    /// <summary>Whether predictions are logits.</summary>
    internal bool FromLogits => fromLogits;
    /// <summary>The label smoothing factor.</summary>
    internal double LabelSmoothing => labelSmoothing;
    /// <inheritdoc/>
    public override string Name => "binary_crossentropy";
    /// <inheritdoc/>
    public override string ClassName => "BinaryCrossentropy";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        (yTrue, yPred) = Align(yTrue, yPred);
        if (labelSmoothing > 0) yTrue = Ops.Add(Ops.Mul(yTrue, (float)(1 - labelSmoothing)), (float)(0.5 * labelSmoothing));
        Tensor values;
        if (fromLogits) values = Ops.SigmoidCrossEntropyWithLogits(yPred, yTrue);
        else if (yPred.SourceLogits is { Softmax: false } s) values = Ops.SigmoidCrossEntropyWithLogits(s.Logits, yTrue);
        else
        {
            var p = Ops.Clip(yPred, Epsilon, 1f - Epsilon);
            values = Ops.Neg(Ops.Add(Ops.Mul(yTrue, Ops.Log(p)), Ops.Mul(Ops.Sub(Tensor.Scalar(1f), yTrue), Ops.Log(Ops.Sub(Tensor.Scalar(1f), p)))));
        }
        return MeanLastAxis(values);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["from_logits"] = fromLogits; c["label_smoothing"] = labelSmoothing; return c; }
}
