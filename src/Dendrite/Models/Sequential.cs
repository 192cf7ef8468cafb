using Dendrite.Layers;

namespace Dendrite.Models;

/// <summary>
/// A plain stack of layers, each feeding the next. Give the input shape with an <see cref="Input"/> first or
/// <c>inputShape:</c> on the first layer, or let the first data set it.
/// <c>var model = new Sequential([new Input(shape: [3]), new Dense(4, activation: "relu"), new Dense(1)]);</c>
/// </summary>
public class Sequential : Model
{
    private readonly List<Layer> _stack = [];
    private Input? _input;

    /// <summary>Creates the model from layers (an <see cref="Input"/> may come first).</summary>
    public Sequential(IEnumerable<Layer>? layers = null, string? name = null) : base(name)
    {
        if (layers is not null) foreach (var l in layers) Add(l);
    }

    /// <inheritdoc/>
    public override string ClassName => "Sequential";

    /// <inheritdoc/>
    protected override string DefaultName => "sequential";

    /// <summary>The layers after the input, in order.</summary>
    public override IReadOnlyList<Layer> Layers => _stack;

    /// <summary>Appends a layer.</summary>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is Input input)
        {
            if (_input is not null || _stack.Count > 0)
                throw new ArgumentException($"Sequential '{Name}': an Input can only be the first layer.");
            _input = input;
            return;
        }
        if (_stack.Contains(layer)) throw new ArgumentException($"Sequential '{Name}' already contains layer '{layer.Name}'.");
        _stack.Add(layer);
        if (_input is null && _stack.Count == 1 && layer.DeclaredInputShape is Shape s) _input = new Input(s.ToArray());
        try { Rebuild(); }
        catch
        {
            _stack.RemoveAt(_stack.Count - 1);
            throw;
        }
    }

    /// <summary>Removes the last layer; popping the only one leaves an empty model that runs nothing (as in Keras).</summary>
    public void Pop()
    {
        if (_stack.Count == 0) throw new InvalidOperationException($"Sequential '{Name}' has no layer to pop.");
        _stack.RemoveAt(_stack.Count - 1);
        if (_stack.Count == 0) ClearGraph();
        else Rebuild();
    }

    /// <inheritdoc/>
    private protected override string MissingGraphMessage => _stack.Count == 0
        ? $"Sequential '{Name}' has no layers: add one (model.Add) before using it."
        : base.MissingGraphMessage;

    private void Rebuild()
    {
        if (_input is null || _stack.Count == 0) return;
        SymbolicTensor t = _input;
        foreach (var l in _stack) t = l.Call(t);
        SetGraph([_input], [t]);
    }

    /// <summary>Creates the input from the first data seen when no input shape was declared.</summary>
    protected override void Build(IReadOnlyList<Shape> inputShapes)
    {
        if (HasGraph) return;
        if (inputShapes.Count != 1) throw new ArgumentException($"Sequential '{Name}' takes one input, got {inputShapes.Count}.");
        _input = new Input(inputShapes[0].ToArray());
        Rebuild();
    }

    /// <summary>Builds the model for per-sample input shape <paramref name="inputShape"/> (Keras <c>model.build</c>).</summary>
    public void Build(int[] inputShape)
    {
        if (!HasGraph) EnsureBuilt([new Shape(inputShape)]);
    }
}
