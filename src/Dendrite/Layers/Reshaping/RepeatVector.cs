using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Repeats each sample <c>n</c> times along a new time axis: (batch, features) to (batch, n, features) (Keras RepeatVector).</summary>
public sealed class RepeatVector : Layer
{
    /// <summary>Creates the layer; <paramref name="n"/> is the number of repetitions (positive).</summary>
    public RepeatVector(int n, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, $"RepeatVector needs a positive n, got {n}.");
        N = n;
    }

    /// <inheritdoc/>
    public override string ClassName => "RepeatVector";

    /// <summary>The number of repetitions.</summary>
    public int N { get; }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        if (inputShape.Rank != 1)
            throw new ArgumentException($"Layer '{Name}' (RepeatVector) expects inputs of shape (batch, features), got {FormatShape(inputShape)}.");
        return new Shape(N, inputShape[0]);
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) =>
        Ops.BroadcastTo(Ops.ExpandDims(input, 1), new Shape(input.Shape[0], N, input.Shape[1]));

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["n"] = N; return c; }

    /// <summary>Recreates the layer from its config.</summary>
    public static RepeatVector FromConfig(JsonObject c) => new((int)LayerConfig.Required(c, "n", "RepeatVector"), name: (string?)c["name"]);
}
