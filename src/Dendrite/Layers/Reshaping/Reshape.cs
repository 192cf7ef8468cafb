using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Reshapes each sample to <paramref name="targetShape"/> (one axis may be -1).</summary>
public sealed class Reshape(int[] targetShape, int[]? inputShape = null, string? name = null) : Layer(name, inputShape)
{
    private readonly int[] _target = targetShape ?? throw new ArgumentNullException(nameof(targetShape));

    /// <inheritdoc/>
    public override string ClassName => "Reshape";

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        var dims = (int[])_target.Clone();
        int unknown = Array.IndexOf(dims, -1), known = dims.Where(d => d != -1).Aggregate(1, (a, b) => a * b);
        if (unknown >= 0)
        {
            if (known == 0 || inputShape.Size % known != 0)
                throw new ArgumentException($"Layer '{Name}' (Reshape) cannot reshape per-sample shape {inputShape} to ({string.Join(", ", _target)}).");
            dims[unknown] = inputShape.Size / known;
        }
        var s = new Shape(dims);
        if (s.Size != inputShape.Size)
            throw new ArgumentException($"Layer '{Name}' (Reshape): per-sample shape {inputShape} has {inputShape.Size} values, the target {s} has {s.Size}.");
        return s;
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) =>
        Ops.Reshape(input, [input.Shape[0], .. ComputeOutputShape(new Shape(input.Shape.ToArray()[1..])).ToArray()]);

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["target_shape"] = new JsonArray(_target.Select(d => (JsonNode)d).ToArray()); return c; }

    /// <summary>Recreates the layer from its config.</summary>
    public static Reshape FromConfig(JsonObject c) => new(LayerConfig.Required(c, "target_shape", "Reshape").AsArray().Select(n => (int)n!).ToArray(), name: (string?)c["name"]);
}
