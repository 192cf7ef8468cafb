using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>
/// Permutes the axes of each sample (Keras Permute): <c>dims</c> is a permutation of 1..rank, 1-based and without the
/// batch axis, so <c>new Permute([2, 1])</c> swaps the two axes of (batch, a, b) to (batch, b, a).
/// </summary>
public sealed class Permute : Layer
{
    private readonly int[] _dims;

    /// <summary>Creates the layer from a permutation of 1..rank (the batch axis stays first).</summary>
    public Permute(int[] dims, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (!dims.Order().SequenceEqual(Enumerable.Range(1, dims.Length)))
            throw new ArgumentException($"Layer '{Name}' (Permute): dims must be a permutation of 1..{dims.Length} (1-based, the batch axis excluded), got ({string.Join(", ", dims)}).", nameof(dims));
        _dims = (int[])dims.Clone();
    }

    /// <inheritdoc/>
    public override string ClassName => "Permute";

    /// <summary>The permutation, 1-based (a copy).</summary>
    public int[] Dims => (int[])_dims.Clone();

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        if (inputShape.Rank != _dims.Length)
            throw new ArgumentException($"Layer '{Name}' (Permute) with dims ({string.Join(", ", _dims)}) expects per-sample inputs of rank {_dims.Length}, got {FormatShape(inputShape)}.");
        return new Shape(_dims.Select(d => inputShape[d - 1]).ToArray());
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => Ops.Transpose(input, [0, .. _dims]);

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["dims"] = new JsonArray(_dims.Select(d => (JsonNode)d).ToArray()); return c; }

    /// <summary>Recreates the layer from its config.</summary>
    public static Permute FromConfig(JsonObject c) =>
        new(LayerConfig.Required(c, "dims", "Permute").AsArray().Select(n => (int)n!).ToArray(), name: (string?)c["name"]);
}
