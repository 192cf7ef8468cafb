using Dendrite.Backends;

namespace Dendrite.Training.Compiled;

/// <summary>Binary cross-entropy on logits, elementwise and stable; gradient (sigmoid(z) - t) / (rows * width).</summary>
internal sealed class SigmoidCrossEntropyHead(int width, float labelSmoothing, bool outputIsProbs) : LossHead
{
    private readonly StepBuffer _labels = new(width), _values = new(width), _probs = new(width), _grad = new(width);
    private Tensor? _t;

    public override float Forward(Tensor prediction, Tensor targets, int rows)
    {
        var t = targets;
        if (labelSmoothing > 0)
        {
            t = _labels.View(rows);
            Ops.Direct.Unary(UnaryOp.MulScalar, targets, t, 1f - labelSmoothing);
            Ops.Direct.Unary(UnaryOp.AddScalar, t, t, 0.5f * labelSmoothing);
        }
        _t = t;
        var values = _values.View(rows);
        Ops.Direct.Binary(BinaryOp.SigmoidCrossEntropy, prediction, t, values);
        return Ops.Direct.Sum(values) / ((float)rows * width);
    }

    public override Tensor Backward(Tensor prediction, int rows)
    {
        var g = _grad.View(rows);
        Ops.Direct.Binary(BinaryOp.SigmoidCrossEntropyGrad, prediction, _t!, g);
        Ops.Direct.Unary(UnaryOp.MulScalar, g, g, 1f / ((float)rows * width));
        return g;
    }

    public override Tensor Output(Tensor prediction, int rows)
    {
        if (!outputIsProbs) return prediction;
        var p = _probs.View(rows);
        Ops.Direct.Unary(UnaryOp.Sigmoid, prediction, p);
        return p;
    }
}
