using Dendrite.Autodiff;

namespace Dendrite;

public sealed partial class Tensor
{
    private bool _requiresGrad;

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on leaves (weights, inputs you differentiate by);
    /// results of ops on such tensors require gradients automatically.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (Node is not null && !value)
                throw new InvalidOperationException("RequiresGrad cannot be cleared on the result of an op; use Detach() instead.");
            _requiresGrad = value;
        }
    }

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward"/>; null until then.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>Gradient being accumulated for a non-leaf during one backward pass.</summary>
    internal Tensor? GradAccum { get; set; }

    internal void MarkRequiresGrad() => _requiresGrad = true;

    /// <summary>When this tensor is softmax (last axis) or sigmoid of another, that input: cross-entropy losses use it
    /// to compute from logits, stably and in one fused op (as Keras's TensorFlow backend does).</summary>
    internal (Tensor Logits, bool Softmax)? SourceLogits { get; set; }

    /// <summary>When this tensor is rows of an embedding table gathered without recording (prediction), the table and a
    /// copy of the ids: a forward-only recurrent layer on it reads rows of table · kernel instead (Ops.Recurrent). A
    /// reference (8 bytes per tensor object), not a tuple.</summary>
    internal EmbeddingSource? SourceEmbedding { get; set; }

    /// <summary>When set, this inference input's values were not copied: they are rows of another tensor
    /// (<see cref="RowSource"/>); only a layer that reads rows in place may use it without materializing it.</summary>
    internal RowSource? SourceRows { get; set; }

    /// <summary>True when this tensor was produced by a recorded op.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>
    /// Back-propagates from this tensor, adding into the <see cref="Grad"/> of every leaf that requires gradients.
    /// A non-scalar tensor needs a <paramref name="seed"/> gradient of its own shape.
    /// </summary>
    public void Backward(Tensor? seed = null) => BackwardEngine.Run(this, seed);

    /// <summary>Clears <see cref="Grad"/> to zeros (keeps the buffer).</summary>
    public void ZeroGrad()
    {
        Grad?.AsSpan().Clear();
        GradIsStale = false;
    }

    /// <summary>When true, <see cref="Grad"/> holds an old gradient that the next backward pass overwrites instead of
    /// adding to (the training loop's cheaper ZeroGrad: no clearing pass over the buffer).</summary>
    internal bool GradIsStale { get; set; }

    /// <summary>
    /// Set by a training step whose optimizer is plain SGD (<see cref="Optimizers.Optimizer.FusedStepRate"/>) on each
    /// trainable weight: the learning rate, so that the op using the weight may apply the update itself, w -= rate · dW,
    /// inside its weight-gradient product (<see cref="Ops"/>' Dense), when that op is its only reader
    /// (<see cref="BackwardEngine.Readers"/>). 0 otherwise, and again once applied (the optimizer then skips the weight:
    /// its gradient stays stale).
    /// </summary>
    internal float FusedSgdRate { get; set; }

    /// <summary>The same values, cut from the tape (shares the buffer, and so the version caches of the weights check).</summary>
    public Tensor Detach() => new(Data, Shape) { _versionRoot = _versionRoot ?? this };
}
