using Dendrite.Backends;

namespace Dendrite.Training.Compiled;

/// <summary>
/// An activation layer (Activation, ReLU, LeakyReLU, ELU, Softmax): one elementwise op or a softmax over the last
/// axis. A final softmax or sigmoid is left to the fused cross-entropy while training (<paramref name="activationInLoss"/>).
/// </summary>
internal sealed class ActivationStage(UnaryOp? op, float alpha, bool softmax, int width, bool activationInLoss) : Stage
{
    private readonly StepBuffer _y = new(width), _dx = new(width);

    public override int Width => width;

    public override Tensor Forward(Tensor x, int rows, bool training)
    {
        if ((training && activationInLoss) || (!softmax && op is null)) return x;
        var y = _y.View(rows);
        if (softmax) Ops.Direct.Softmax(x, y);
        else Ops.Direct.Unary(op!.Value, x, y, alpha);
        return y;
    }

    public override Tensor? Backward(Tensor x, Tensor y, Tensor dy, int rows, bool needInputGrad)
    {
        if (!needInputGrad || activationInLoss || (!softmax && op is null)) return needInputGrad ? dy : null;
        if (softmax)
        {
            var dx = _dx.View(rows);
            Ops.Direct.SoftmaxGrad(y, dy, dx);
            return dx;
        }
        Ops.Direct.UnaryGrad(op!.Value, x, y, dy, dy, alpha);
        return dy;
    }
}
