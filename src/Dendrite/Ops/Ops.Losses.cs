using Dendrite.Autodiff;
using Dendrite.Backends;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// Fused softmax + categorical cross-entropy from logits over the last axis: -sum(labels * log_softmax(logits)).
    /// Returns one loss per row (shape of logits without its last axis). Stable for any logits.
    /// </summary>
    public static Tensor SoftmaxCrossEntropyWithLogits(Tensor logits, Tensor labels)
    {
        if (logits.Shape != labels.Shape)
            throw new ArgumentException($"SoftmaxCrossEntropyWithLogits: logits have shape {logits.Shape} but labels have shape {labels.Shape}.");
        if (logits.Rank == 0) throw new ArgumentException("SoftmaxCrossEntropyWithLogits needs logits with a class axis, got a scalar.");
        var rowShape = new Shape(logits.Shape.Dims[..^1]);
        var loss = Tensor.Empty(rowShape);
        var probs = Tensor.Empty(logits.Shape);
        B.SoftmaxCrossEntropy(logits, labels, loss, probs);
        if (Tape.Record(loss, "softmax_cross_entropy", SoftmaxCrossEntropyBackward, logits, labels) is { } node) node.T0 = probs;
        return loss;
    }

    private static void SoftmaxCrossEntropyBackward(Node node, Tensor g)
    {
        Tensor logits = node.Input(0)!, labels = node.Input(1)!, probs = node.T0!;
        if (logits.RequiresGrad && Uniform(g) is float scale)
        {
            // The usual case (a mean over the rows): one fused pass, scale * (probs * sum(labels) - labels).
            var dz = Tensor.Empty(logits.Shape);
            B.SoftmaxCrossEntropyGrad(probs, labels, scale, dz);
            node.SetGrad(0, dz);
        }
        else if (logits.RequiresGrad)
        {
            var labelSum = Sum(labels, [-1], keepDims: true);
            node.SetGrad(0, Mul(ColumnOf(g), Sub(Mul(probs, labelSum), labels)));
        }
        if (labels.RequiresGrad) node.SetGrad(1, Mul(ColumnOf(g), Neg(LogSoftmax(logits))));
    }

    /// <summary>Per-row values g as a column (a trailing axis of 1) to broadcast over the classes.</summary>
    private static Tensor ColumnOf(Tensor g) => Reshape(g, [.. g.Shape.ToArray(), 1]);

    /// <summary>
    /// Fused sigmoid + binary cross-entropy from logits, elementwise:
    /// max(z, 0) - z * t + log(1 + e^-|z|). Stable for any logits.
    /// </summary>
    public static Tensor SigmoidCrossEntropyWithLogits(Tensor logits, Tensor labels)
    {
        var y = BinaryForward(BinaryOp.SigmoidCrossEntropy, logits, labels);
        Tape.Record(y, "sigmoid_cross_entropy", static (n, g) =>
        {
            Tensor logits = n.Input(0)!, labels = n.Input(1)!;
            if (logits.RequiresGrad) n.SetGrad(0, Mul(g, BinaryForward(BinaryOp.SigmoidCrossEntropyGrad, logits, labels)));
            if (labels.RequiresGrad) n.SetGrad(1, Mul(g, Neg(logits)));
        }, logits, labels);
        return y;
    }

    /// <summary>The value of every element when they are all equal (and there is at least one), else null.</summary>
    private static float? Uniform(Tensor g)
    {
        var s = g.AsSpan();
        if (s.Length == 0) return null;
        float v = s[0];
        foreach (float e in s) if (e != v) return null;
        return v;
    }
}
