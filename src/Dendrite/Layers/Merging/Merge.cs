namespace Dendrite.Layers;

/// <summary>Base of the elementwise merge layers: two or more inputs of broadcast-compatible shapes, one output.</summary>
public abstract class Merge(string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Shape> inputShapes) => ComputeOutputShape(inputShapes);

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(IReadOnlyList<Shape> inputShapes)
    {
        if (inputShapes.Count < MinInputs)
            throw new ArgumentException($"Layer '{Name}' ({ClassName}) needs at least {MinInputs} inputs, got {inputShapes.Count}.");
        var s = inputShapes[0];
        // Index loops, not LINQ or foreach over the interface: those are generic instantiations over the Shape struct
        // that the ReadyToRun image does not hold, compiled on the way to a functional model's first step.
        for (int i = 1; i < inputShapes.Count; i++)
        {
            try { s = Shape.Broadcast(s, inputShapes[i]); }
            catch (ArgumentException) { throw new ArgumentException($"Layer '{Name}' ({ClassName}) cannot merge inputs of shapes {string.Join(", ", inputShapes.Select(FormatShape))}."); }
        }
        return s;
    }

    /// <summary>Fewest inputs accepted.</summary>
    protected virtual int MinInputs => 2;

    /// <inheritdoc/>
    protected override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var acc = inputs[0];
        for (int i = 1; i < inputs.Count; i++) acc = Combine(acc, inputs[i]);
        return Finish(acc, inputs.Count);
    }

    /// <summary>Combines two inputs.</summary>
    protected abstract Tensor Combine(Tensor a, Tensor b);

    /// <summary>Post-processes the combination (Average divides).</summary>
    protected virtual Tensor Finish(Tensor combined, int count) => combined;
}
