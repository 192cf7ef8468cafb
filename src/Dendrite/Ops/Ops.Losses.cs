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
        var rowShape = new Shape(logits.Shape.ToArray()[..^1]);
        var loss = Tensor.Empty(rowShape);
        var probs = Tensor.Empty(logits.Shape);
        B.SoftmaxCrossEntropy(logits, labels, loss, probs);
        return Tape.Record(loss, "softmax_cross_entropy", logits, labels, g =>
        {
            var gCol = Reshape(g, [.. rowShape.ToArray(), 1]);
            Tensor? dz = null, dt = null;
            if (logits.RequiresGrad && Uniform(g) is float scale)
            {
                // The usual case (a mean over the rows): one fused pass, scale * (probs * sum(labels) - labels).
                dz = Tensor.Empty(logits.Shape);
                B.SoftmaxCrossEntropyGrad(probs, labels, scale, dz);
            }
            else if (logits.RequiresGrad)
            {
                var labelSum = Sum(labels, [-1], keepDims: true);
                dz = Mul(gCol, Sub(Mul(probs, labelSum), labels));
            }
            if (labels.RequiresGrad) dt = Mul(gCol, Neg(LogSoftmax(logits)));
            return [dz, dt];
        });
    }

    /// <summary>
    /// Fused sigmoid + binary cross-entropy from logits, elementwise:
    /// max(z, 0) - z * t + log(1 + e^-|z|). Stable for any logits.
    /// </summary>
    public static Tensor SigmoidCrossEntropyWithLogits(Tensor logits, Tensor labels)
    {
        var y = BinaryForward(BinaryOp.SigmoidCrossEntropy, logits, labels);
        return Tape.Record(y, "sigmoid_cross_entropy", logits, labels, g =>
            [logits.RequiresGrad ? Mul(g, BinaryForward(BinaryOp.SigmoidCrossEntropyGrad, logits, labels)) : null,
             labels.RequiresGrad ? Mul(g, Neg(logits)) : null]);
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
