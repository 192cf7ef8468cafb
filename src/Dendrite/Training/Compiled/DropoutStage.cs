using Dendrite.Backends;
using Dendrite.Layers;

namespace Dendrite.Training.Compiled;

/// <summary>Dropout: in training y = x * mask with the layer's own mask sequence; the identity otherwise.</summary>
internal sealed class DropoutStage(Dropout layer, int width) : Stage
{
    private readonly StepBuffer _mask = new(width), _y = new(width);

    public override int Width => width;

    public override bool PassThroughWhenPredicting => true;

    public override Tensor Forward(Tensor x, int rows)
    {
        if (layer.Rate <= 0) return x;
        var mask = _mask.View(rows);
        layer.FillMask(mask.AsSpan());
        var y = _y.View(rows);
        Ops.Direct.Binary(BinaryOp.Mul, x, mask, y);
        return y;
    }

    public override Tensor? Backward(Tensor x, Tensor y, Tensor dy, int rows, bool needInputGrad)
    {
        if (!needInputGrad) return null;
        if (layer.Rate > 0) Ops.Direct.Binary(BinaryOp.Mul, dy, _mask.View(rows), dy);
        return dy;
    }
}
