namespace Dendrite.Autodiff;

/// <summary>Computes one gradient per input (null where an input needs none) from the output's gradient (a closure).</summary>
internal delegate Tensor?[] BackwardFunc(Tensor outputGrad);

/// <summary>A backward that keeps its state in the node's fields (a <c>static</c> lambda: nothing captured, nothing
/// allocated per op); it hands each input's gradient to <see cref="Node.SetGrad"/>.</summary>
internal delegate void NodeBackwardFunc(Node node, Tensor outputGrad);

/// <summary>
/// A recorded op on the tape: its inputs and the backward that sits beside its forward. Inside a
/// <see cref="TensorScope"/> nodes come from the scope's pool and are reset when it ends (as its tensors are), so a
/// training step records its tape without allocating; the saved-state fields serve the static backward form.
/// </summary>
internal sealed class Node
{
    private Tensor?[] _inputs = new Tensor?[3];
    private Tensor?[] _grads = new Tensor?[3];

    /// <summary>The op's name (for messages and tests).</summary>
    public string Op { get; private set; } = "";

    /// <summary>Number of inputs (a null input takes no gradient).</summary>
    public int InputCount { get; private set; }

    /// <summary>The tensor this node produced.</summary>
    public Tensor? Output { get; private set; }

    private BackwardFunc? _closure;
    private NodeBackwardFunc? _static;

    /// <summary>Saved tensors, numbers and an object for a static backward.</summary>
    public Tensor? T0, T1, T2;
    /// <summary>Saved numbers for a static backward.</summary>
    public float F0, F1;
    /// <summary>Saved integers for a static backward.</summary>
    public int I0, I1, I2, I3;
    /// <summary>A saved shape for a static backward.</summary>
    public Shape S0;
    /// <summary>A saved convolution geometry for a static backward.</summary>
    public Backends.ConvSpec Spec;
    /// <summary>A saved pooling geometry for a static backward.</summary>
    public Backends.Pool2DGeometry Pool;
    /// <summary>A saved object (an op kind, a plan, a layer's arguments) for a static backward.</summary>
    public object? O0;

    /// <summary>The input at position <paramref name="k"/> (null where none was given).</summary>
    public Tensor? Input(int k) => _inputs[k];

    internal void Set(string op, Tensor output, ReadOnlySpan<Tensor?> inputs, BackwardFunc? closure, NodeBackwardFunc? backward)
    {
        Op = op;
        Output = output;
        if (_inputs.Length < inputs.Length) { _inputs = new Tensor?[inputs.Length]; _grads = new Tensor?[inputs.Length]; }
        inputs.CopyTo(_inputs);
        InputCount = inputs.Length;
        _closure = closure;
        _static = backward;
    }

    /// <summary>Runs the backward; afterwards <see cref="Grad"/> holds each input's gradient.</summary>
    internal void RunBackward(Tensor outputGrad)
    {
        Array.Clear(_grads, 0, InputCount);
        if (_static is not null) { _static(this, outputGrad); return; }
        var grads = _closure!(outputGrad);
        for (int k = 0; k < InputCount && k < grads.Length; k++) _grads[k] = grads[k];
    }

    /// <summary>Hands input <paramref name="k"/>'s gradient to the engine (from a static backward).</summary>
    public void SetGrad(int k, Tensor? grad) => _grads[k] = grad;

    /// <summary>The gradient the last backward produced for input <paramref name="k"/>.</summary>
    internal Tensor? Grad(int k) => _grads[k];

    /// <summary>Drops every reference (a pooled node at the end of its scope), and unlinks its output from it.</summary>
    internal void Reset()
    {
        if (Output is { } o && ReferenceEquals(o.Node, this)) o.Node = null;
        Array.Clear(_inputs, 0, InputCount);
        Array.Clear(_grads, 0, InputCount);
        InputCount = 0;
        Output = null;
        _closure = null;
        _static = null;
        T0 = T1 = T2 = null;
        O0 = null;
        S0 = default;
        Spec = default;
        Pool = default;
        F0 = F1 = 0f;
        I0 = I1 = I2 = I3 = 0;
        Op = "";
    }
}
