using Dendrite.Backends;

namespace Dendrite.Training.Compiled;

/// <summary>Mean squared error: mean over the batch and the last axis of (p - t)^2; gradient 2 (p - t) / (rows * width).</summary>
internal sealed class SquaredErrorHead(int width) : LossHead
{
    private readonly StepBuffer _diff = new(width), _square = new(width), _grad = new(width);

    public override float Forward(Tensor prediction, Tensor targets, int rows)
    {
        var d = _diff.View(rows);
        Ops.Direct.Binary(BinaryOp.Sub, prediction, targets, d);
        var sq = _square.View(rows);
        Ops.Direct.Unary(UnaryOp.Square, d, sq);
        return Ops.Direct.Sum(sq) / ((float)rows * width);
    }

    public override Tensor Backward(Tensor prediction, int rows)
    {
        var g = _grad.View(rows);
        Ops.Direct.Unary(UnaryOp.MulScalar, _diff.View(rows), g, 2f / ((float)rows * width));
        return g;
    }

    public override Tensor Output(Tensor prediction, int rows) => prediction;
}
