using Dendrite.Backends;

namespace Dendrite.Training.Compiled;

/// <summary>
/// An activation layer (Activation, ReLU, LeakyReLU, ELU, Softmax): one elementwise op or a softmax over the last
/// axis. A final softmax or sigmoid is left to the fused cross-entropy while training (<paramref name="activationInLoss"/>).
/// </summary>
internal sealed class ActivationStage(UnaryOp? op, float alpha, bool softmax, int width, bool activationInLoss) : Stage
{
    private readonly LaneBuffers _y = new(width);
    private readonly StepBuffer _dx = new(width);

    public override int Width => width;

    public override Tensor Forward(Tensor x, int rows) => activationInLoss ? x : Apply(x, rows, 0);

    public override Tensor Predict(Tensor x, int rows, int lane) => Apply(x, rows, lane);

    public override void EnsureLanes(int lanes) => _y.Ensure(lanes);

    private Tensor Apply(Tensor x, int rows, int lane)
    {
        if (!softmax && op is null) return x;
        var y = _y[lane].View(rows);
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
