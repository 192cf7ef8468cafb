using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Joins its inputs along <paramref name="axis"/> of the batch tensor (default the last); other axes must match.</summary>
public sealed class Concatenate(int axis = -1, string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    public override string ClassName => "Concatenate";

    /// <summary>The axis of the batch tensor (0 is the batch axis and is not allowed).</summary>
    public int Axis { get; } = axis;

    private int SampleAxis(Shape s)
    {
        int full = Axis < 0 ? Axis + s.Rank + 1 : Axis;
        if (full <= 0 || full > s.Rank) throw new ArgumentException($"Layer '{Name}' (Concatenate): axis {Axis} is invalid for inputs of shape {FormatShape(s)}.");
        return full - 1;
    }

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Shape> inputShapes) => ComputeOutputShape(inputShapes);

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(IReadOnlyList<Shape> inputShapes)
    {
        if (inputShapes.Count < 2) throw new ArgumentException($"Layer '{Name}' (Concatenate) needs at least 2 inputs, got {inputShapes.Count}.");
        var first = inputShapes[0];
        int a = SampleAxis(first), total = 0;
        for (int k = 0; k < inputShapes.Count; k++)   // not foreach over the interface (Merge.ComputeOutputShape)
        {
            var s = inputShapes[k];
            bool ok = s.Rank == first.Rank;
            for (int i = 0; ok && i < s.Rank; i++) ok = i == a || s[i] == first[i];
            if (!ok) throw new ArgumentException($"Layer '{Name}' (Concatenate) needs inputs that match except on the concatenation axis, got {string.Join(", ", inputShapes.Select(FormatShape))}.");
            total += s[a];
        }
        return first.With(a, total);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Ops.Concat(inputs, SampleAxis(new Shape(inputs[0].Shape.Dims[1..])) + 1);

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["axis"] = Axis; return c; }

    /// <summary>Recreates the layer from its config.</summary>
    public static Concatenate FromConfig(JsonObject c) => new((int?)c["axis"] ?? -1, (string?)c["name"]);
}
