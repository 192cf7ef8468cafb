namespace Dendrite.Autodiff;

/// <summary>Computes one gradient per input (null where an input needs none) from the output's gradient.</summary>
internal delegate Tensor?[] BackwardFunc(Tensor outputGrad);

/// <summary>A recorded op on the tape: its inputs and the backward that sits beside its forward.</summary>
internal sealed class Node(string op, Tensor[] inputs, BackwardFunc backward)
{
    public string Op { get; } = op;
    public Tensor[] Inputs { get; } = inputs;
    public BackwardFunc Backward { get; } = backward;
}
