namespace Dendrite.Training.Compiled;

/// <summary>Flatten: the buffers are already (rows, width), so nothing moves.</summary>
internal sealed class IdentityStage(int width) : Stage
{
    public override int Width => width;

    public override bool PassThroughWhenPredicting => true;

    public override Tensor Forward(Tensor x, int rows) => x;

    public override Tensor? Backward(Tensor x, Tensor y, Tensor dy, int rows, bool needInputGrad) => needInputGrad ? dy : null;
}
