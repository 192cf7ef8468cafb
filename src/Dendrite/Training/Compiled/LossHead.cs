using Dendrite.Losses;

namespace Dendrite.Training.Compiled;

/// <summary>
/// The loss of a compiled step, reduced as Keras does ("sum_over_batch_size"), with its gradient with respect to the
/// last stage's output. Cross-entropies take the logits (the softmax or sigmoid is fused into the loss).
/// </summary>
internal abstract class LossHead
{
    /// <summary>Mean loss of the batch; <paramref name="targets"/> are the targets as given to Fit, row by row.</summary>
    public abstract float Forward(Tensor prediction, Tensor targets, int rows);

    /// <summary>The gradient of the last Forward's loss with respect to its prediction.</summary>
    public abstract Tensor Backward(Tensor prediction, int rows);

    /// <summary>What the model outputs for the last Forward (probabilities when the loss took logits of a softmax/sigmoid).</summary>
    public abstract Tensor Output(Tensor prediction, int rows);

    /// <summary>
    /// The head for a loss on the last layer's output, or null when the compiled step does not cover it.
    /// <paramref name="lastActivation"/> is "softmax", "sigmoid" or "linear" (what the final layer applies), else null.
    /// </summary>
    public static LossHead? For(Loss loss, string? lastActivation, int width, int targetWidth) => loss switch
    {
        CategoricalCrossentropy c when targetWidth == width && (c.FromLogits ? lastActivation == "linear" : lastActivation == "softmax")
            => new SoftmaxCrossEntropyHead(width, (float)c.LabelSmoothing, sparse: false, outputIsProbs: !c.FromLogits),
        SparseCategoricalCrossentropy s when targetWidth == 1 && (s.FromLogits ? lastActivation == "linear" : lastActivation == "softmax")
            => new SoftmaxCrossEntropyHead(width, 0f, sparse: true, outputIsProbs: !s.FromLogits),
        BinaryCrossentropy b when targetWidth == width && (b.FromLogits ? lastActivation == "linear" : lastActivation == "sigmoid")
            => new SigmoidCrossEntropyHead(width, (float)b.LabelSmoothing, outputIsProbs: !b.FromLogits),
        MeanSquaredError when targetWidth == width => new SquaredErrorHead(width),
        _ => null,
    };
}
