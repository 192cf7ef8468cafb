using System.Text.Json.Nodes;

namespace Dendrite.Losses;

/// <summary>
/// Categorical cross-entropy over the last axis against one-hot (or soft) targets. From probabilities they are
/// renormalised to sum 1 and clipped to [1e-7, 1 - 1e-7]; when the prediction is a softmax output (or
/// <paramref name="fromLogits"/>) the fused, stable softmax cross-entropy runs on the logits.
/// </summary>
public sealed class CategoricalCrossentropy(bool fromLogits = false, double labelSmoothing = 0.0) : Loss
{
    /// <summary>Whether predictions are logits.</summary>
    internal bool FromLogits => fromLogits;
    /// <summary>The label smoothing factor.</summary>
    internal double LabelSmoothing => labelSmoothing;
    /// <inheritdoc/>
    public override string Name => "categorical_crossentropy";
    /// <inheritdoc/>
    public override string ClassName => "CategoricalCrossentropy";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        if (yTrue.Shape != yPred.Shape)
            throw new ArgumentException($"CategoricalCrossentropy: y_true has shape {yTrue.Shape} but y_pred has shape {yPred.Shape}. " +
                "Targets must be one-hot (use Utils.ToCategorical) or use sparse_categorical_crossentropy for integer labels.");
        if (labelSmoothing > 0)
        {
            int classes = yPred.Shape[^1];
            yTrue = Ops.Add(Ops.Mul(yTrue, (float)(1 - labelSmoothing)), (float)(labelSmoothing / classes));
        }
        return FromPredictions(yTrue, yPred, fromLogits);
    }

    internal static Tensor FromPredictions(Tensor yTrue, Tensor yPred, bool fromLogits)
    {
        if (fromLogits) return Ops.SoftmaxCrossEntropyWithLogits(yPred, yTrue);
        if (yPred.SourceLogits is { Softmax: true } s) return Ops.SoftmaxCrossEntropyWithLogits(s.Logits, yTrue);
        var p = Ops.Clip(Ops.Div(yPred, Ops.Sum(yPred, [-1], keepDims: true)), Epsilon, 1f - Epsilon);
        return Ops.Neg(Ops.Sum(Ops.Mul(yTrue, Ops.Log(p)), -1));
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["from_logits"] = fromLogits; c["label_smoothing"] = labelSmoothing; return c; }
}
