using Dendrite.Backends;

namespace Dendrite.Training.Compiled;

/// <summary>
/// Categorical (or sparse categorical) cross-entropy on logits: the fused softmax cross-entropy, the gradient
/// (p sum(t) - t) / rows. Labels are smoothed (t (1 - s) + s / classes) or one-hot encoded from class indices first.
/// </summary>
internal sealed class SoftmaxCrossEntropyHead(int classes, float labelSmoothing, bool sparse, bool outputIsProbs) : LossHead
{
    private readonly StepBuffer _labels = new(classes), _probs = new(classes), _loss = new(0), _grad = new(classes);
    private Tensor? _t;

    public override float Forward(Tensor prediction, Tensor targets, int rows)
    {
        var t = targets;
        if (sparse)
        {
            t = _labels.View(rows);
            OneHot(targets.AsSpan(), t.AsSpan());
        }
        else if (labelSmoothing > 0)
        {
            t = _labels.View(rows);
            Ops.Direct.Unary(UnaryOp.MulScalar, targets, t, 1f - labelSmoothing);
            Ops.Direct.Unary(UnaryOp.AddScalar, t, t, labelSmoothing / classes);
        }
        _t = t;
        var loss = _loss.View(rows);
        Ops.Direct.SoftmaxCrossEntropy(prediction, t, loss, _probs.View(rows));
        return Ops.Direct.Sum(loss) / rows;
    }

    public override Tensor Backward(Tensor prediction, int rows)
    {
        var g = _grad.View(rows);
        Ops.Direct.SoftmaxCrossEntropyGrad(_probs.View(rows), _t!, 1f / rows, g);
        return g;
    }

    public override Tensor Output(Tensor prediction, int rows) => outputIsProbs ? _probs.View(rows) : prediction;

    private void OneHot(ReadOnlySpan<float> labels, Span<float> oneHot)
    {
        oneHot.Clear();
        for (int i = 0; i < labels.Length; i++)
        {
            float v = labels[i];
            if (v != MathF.Floor(v) || v < 0 || v >= classes)
                throw new ArgumentException($"SparseCategoricalCrossentropy: label {v} at position {i} is not a class index in 0..{classes - 1}.");
            oneHot[i * classes + (int)v] = 1f;
        }
    }
}
