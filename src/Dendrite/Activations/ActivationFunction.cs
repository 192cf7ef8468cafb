namespace Dendrite;

/// <summary>
/// A named activation function. Strings convert implicitly (<c>activation: "relu"</c>), or use the members of
/// <see cref="Activations"/> (<c>activation: Activations.Relu</c>).
/// </summary>
public sealed class ActivationFunction
{
    private readonly Func<Tensor, Tensor> _fn;

    /// <summary>Creates an activation from a Keras-style name and a function built from <see cref="Ops"/>.</summary>
    public ActivationFunction(string name, Func<Tensor, Tensor> fn)
    {
        Name = name;
        _fn = fn;
    }

    /// <summary>A built-in activation that is one elementwise backend op (or softmax), so compiled steps can fuse it.</summary>
    internal ActivationFunction(string name, Func<Tensor, Tensor> fn, Backends.UnaryOp? op, float alpha = 0f, bool softmax = false, bool linear = false)
        : this(name, fn)
    {
        Elementwise = op;
        Alpha = alpha;
        IsSoftmax = softmax;
        IsLinear = linear;
    }

    /// <summary>The elementwise op this activation is (null for identity, softmax and user functions).</summary>
    internal Backends.UnaryOp? Elementwise { get; }

    /// <summary>The op's parameter (leaky ReLU's slope, ELU's alpha).</summary>
    internal float Alpha { get; }

    /// <summary>Softmax over the last axis.</summary>
    internal bool IsSoftmax { get; }

    /// <summary>The identity.</summary>
    internal bool IsLinear { get; }

    /// <summary>The Keras name (e.g. "relu").</summary>
    public string Name { get; }

    /// <summary>Applies the activation.</summary>
    public Tensor Invoke(Tensor x) => _fn(x);

    /// <summary>Looks an activation up by its Keras name; null stays null (a layer then applies none, as Keras's None).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(name))]
    public static implicit operator ActivationFunction?(string? name) => name is null ? null : Activations.Get(name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
