using System.Text.Json.Nodes;

namespace Dendrite.Losses;

/// <summary>Categorical cross-entropy against integer class labels of shape (batch,) or (batch, 1).</summary>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false) : Loss
{
    /// <summary>Whether predictions are logits.</summary>
    internal bool FromLogits => fromLogits;
    /// <inheritdoc/>
    public override string Name => "sparse_categorical_crossentropy";
    /// <inheritdoc/>
    public override string ClassName => "SparseCategoricalCrossentropy";

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        int classes = yPred.Shape[^1];
        int rows = yPred.Size / Math.Max(classes, 1);
        if (yTrue.Size != rows)
            throw new ArgumentException($"SparseCategoricalCrossentropy: y_true of shape {yTrue.Shape} needs one integer label per row of y_pred {yPred.Shape}.");
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            float v = yTrue.AsSpan()[i];
            if (v != MathF.Floor(v) || v < 0 || v >= classes)
                throw new ArgumentException($"SparseCategoricalCrossentropy: label {v} at position {i} is not a class index in 0..{classes - 1}.");
            labels[i] = (int)v;
        }
        var oneHot = Ops.Reshape(Ops.OneHot(labels, classes), yPred.Shape);
        return CategoricalCrossentropy.FromPredictions(oneHot, yPred, fromLogits);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["from_logits"] = fromLogits; return c; }
}
