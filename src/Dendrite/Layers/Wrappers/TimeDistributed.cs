using System.Text.Json.Nodes;
using Dendrite.Saving;

namespace Dendrite.Layers;

/// <summary>
/// Applies a layer to every time step (Keras TimeDistributed): input (batch, time, ...) is folded to
/// (batch * time, ...), the inner layer runs once on it, and the result is unfolded to (batch, time, ...').
/// The weights are the inner layer's (one set shared by every step).
/// </summary>
public sealed class TimeDistributed : Layer
{
    /// <summary>Wraps <paramref name="layer"/>, which is applied to each time step.</summary>
    public TimeDistributed(Layer layer, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is Input) throw new ArgumentException($"Layer '{Name}' (TimeDistributed) cannot wrap an Input.", nameof(layer));
        Layer = layer;
    }

    /// <inheritdoc/>
    public override string ClassName => "TimeDistributed";

    /// <summary>The wrapped layer.</summary>
    public Layer Layer { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> Weights => Layer.Weights;

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> TrainableWeights => Trainable ? Layer.TrainableWeights : [];

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> NonTrainableWeights => Trainable ? Layer.NonTrainableWeights : Layer.Weights;

    internal override IEnumerable<Tensor> RegularizationLosses() => Layer.RegularizationLosses();

    /// <inheritdoc/>
    internal override void AddRegularizationLosses(List<Tensor> into) => Layer.AddRegularizationLosses(into);

    /// <summary>Keras keeps the wrapped layer's variables under "layer/" (the wrapper has none of its own).</summary>
    protected internal override IEnumerable<(string Path, IReadOnlyList<Tensor> Variables)> KerasVariables()
    {
        yield return ("vars", []);
        foreach (var (path, vars) in Layer.KerasVariables()) yield return ("layer/" + path, vars);
    }

    private Shape StepShape(Shape inputShape)
    {
        if (inputShape.Rank < 2)
            throw new ArgumentException($"Layer '{Name}' (TimeDistributed) expects inputs of shape (batch, time, ...), at least rank 3, got {FormatShape(inputShape)}.");
        return new Shape(inputShape.ToArray()[1..]);
    }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape) => new([inputShape[0], .. Layer.ComputeOutputShape(StepShape(inputShape)).ToArray()]);

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) => Layer.EnsureBuilt([StepShape(inputShape)]);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training)
    {
        var dims = input.Shape.ToArray();
        var folded = Ops.Reshape(input, [dims[0] * dims[1], .. dims[2..]]);
        var y = Layer.Call(folded, training);
        return Ops.Reshape(y, [dims[0], dims[1], .. y.Shape.ToArray()[1..]]);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        var inner = ModelSerializer.Serialize(Layer);
        inner.Remove("build_config");
        c["layer"] = inner;
        return c;
    }

    /// <summary>Recreates the wrapper and its layer from the config.</summary>
    public static TimeDistributed FromConfig(JsonObject c) =>
        new(ModelDeserializer.Deserialize(LayerConfig.Required(c, "layer", "TimeDistributed")), name: (string?)c["name"]);
}
