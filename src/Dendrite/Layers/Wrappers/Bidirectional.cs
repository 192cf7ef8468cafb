using System.Text.Json.Nodes;
using Dendrite.Saving;

namespace Dendrite.Layers;

/// <summary>
/// Runs a recurrent layer over the sequence in both directions and merges the two (Keras Bidirectional):
/// a forward copy named <c>forward_&lt;name&gt;</c> and a backward copy (the same config with <c>go_backwards</c> flipped,
/// named <c>backward_&lt;name&gt;</c>) unless <c>backwardLayer</c> is given. With <c>returnSequences</c> the backward
/// output is reversed back in time before merging. <c>mergeMode</c>: "concat" (default), "sum", "mul", "ave", or null
/// for two outputs. With <c>returnState</c> the outputs are followed by the forward states, then the backward states.
/// <c>new Bidirectional(new LSTM(units: 64), mergeMode: "concat")</c>
/// </summary>
public sealed class Bidirectional : Layer
{
    /// <summary>Wraps a recurrent layer (copied, as Keras does).</summary>
    public Bidirectional(RecurrentLayer layer, string? mergeMode = "concat", RecurrentLayer? backwardLayer = null,
        int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (mergeMode is not (null or "concat" or "sum" or "mul" or "ave"))
            throw new ArgumentException($"Layer '{Name}' (Bidirectional): mergeMode must be \"concat\", \"sum\", \"mul\", \"ave\" or null, got \"{mergeMode}\".", nameof(mergeMode));
        MergeMode = mergeMode;
        ForwardLayer = Recreate(layer, "forward_", flip: false);
        BackwardLayer = backwardLayer ?? Recreate(layer, "backward_", flip: true);
        if (backwardLayer is not null && (backwardLayer.ReturnSequences != layer.ReturnSequences || backwardLayer.ReturnState != layer.ReturnState
            || backwardLayer.Stateful != layer.Stateful))
            throw new ArgumentException($"Layer '{Name}' (Bidirectional): backwardLayer '{backwardLayer.Name}' must have the same returnSequences, returnState and stateful as '{layer.Name}'.", nameof(backwardLayer));
        if (backwardLayer is not null && backwardLayer.GoBackwards == layer.GoBackwards)
            throw new ArgumentException($"Layer '{Name}' (Bidirectional): backwardLayer '{backwardLayer.Name}' must have goBackwards = {!layer.GoBackwards} (the opposite of '{layer.Name}').", nameof(backwardLayer));
    }

    private RecurrentLayer Recreate(RecurrentLayer layer, string prefix, bool flip)
    {
        var config = layer.GetConfig();
        string baseName = layer.Name.StartsWith(prefix, StringComparison.Ordinal) ? layer.Name[prefix.Length..] : layer.Name;
        config["name"] = prefix + baseName;
        if (flip) config["go_backwards"] = !layer.GoBackwards;
        return LayerRegistry.FromConfig(layer.ClassName, config) as RecurrentLayer
            ?? throw new ArgumentException($"Layer '{Name}' (Bidirectional) cannot copy '{layer.Name}' ({layer.ClassName}) from its config.");
    }

    /// <inheritdoc/>
    public override string ClassName => "Bidirectional";
    /// <summary>How the two directions are combined ("concat", "sum", "mul", "ave"; null: two outputs).</summary>
    public string? MergeMode { get; }
    /// <summary>The copy that reads the sequence forwards.</summary>
    public RecurrentLayer ForwardLayer { get; }
    /// <summary>The copy that reads the sequence backwards.</summary>
    public RecurrentLayer BackwardLayer { get; }
    /// <summary>Whether every step is returned (from the wrapped layer).</summary>
    public bool ReturnSequences => ForwardLayer.ReturnSequences;
    /// <summary>Whether the final states follow the outputs (from the wrapped layer).</summary>
    public bool ReturnState => ForwardLayer.ReturnState;

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> Weights => [.. ForwardLayer.Weights, .. BackwardLayer.Weights];
    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> TrainableWeights => Trainable ? [.. ForwardLayer.TrainableWeights, .. BackwardLayer.TrainableWeights] : [];
    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> NonTrainableWeights => Trainable ? [.. ForwardLayer.NonTrainableWeights, .. BackwardLayer.NonTrainableWeights] : Weights;

    internal override IEnumerable<Tensor> RegularizationLosses() => ForwardLayer.RegularizationLosses().Concat(BackwardLayer.RegularizationLosses());

    /// <inheritdoc/>
    internal override void AddRegularizationLosses(List<Tensor> into)
    {
        ForwardLayer.AddRegularizationLosses(into);
        BackwardLayer.AddRegularizationLosses(into);
    }

    /// <summary>Keras keeps the copies' variables under "forward_layer/" and "backward_layer/".</summary>
    protected internal override IEnumerable<(string Path, IReadOnlyList<Tensor> Variables)> KerasVariables()
    {
        yield return ("vars", []);
        foreach (var (path, vars) in ForwardLayer.KerasVariables()) yield return ("forward_layer/" + path, vars);
        foreach (var (path, vars) in BackwardLayer.KerasVariables()) yield return ("backward_layer/" + path, vars);
    }

    /// <summary>Zeroes the kept states of both directions (stateful layers).</summary>
    public void ResetStates()
    {
        ForwardLayer.ResetStates();
        BackwardLayer.ResetStates();
    }

    private int States => ReturnState ? ForwardLayer.OutputCount - 1 : 0;

    /// <inheritdoc/>
    public override int OutputCount => (MergeMode is null ? 2 : 1) + 2 * States;

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape) => ComputeOutputShapes([inputShape])[0];

    /// <inheritdoc/>
    public override IReadOnlyList<Shape> ComputeOutputShapes(IReadOnlyList<Shape> inputShapes)
    {
        var f = ForwardLayer.ComputeOutputShapes(inputShapes);
        var b = BackwardLayer.ComputeOutputShapes(inputShapes);
        var list = new List<Shape>();
        if (MergeMode is null) { list.Add(f[0]); list.Add(b[0]); }
        else list.Add(MergeMode == "concat" ? f[0].With(-1, f[0][^1] + b[0][^1]) : f[0]);
        for (int i = 1; i < f.Count; i++) list.Add(f[i]);
        for (int i = 1; i < b.Count; i++) list.Add(b[i]);
        return list;
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        ForwardLayer.EnsureBuilt([inputShape]);
        BackwardLayer.EnsureBuilt([inputShape]);
        if (MergeMode is "sum" or "mul" or "ave" && ForwardLayer.ComputeOutputShape(inputShape) != BackwardLayer.ComputeOutputShape(inputShape))
            throw new ArgumentException($"Layer '{Name}' (Bidirectional): mergeMode \"{MergeMode}\" needs both directions to have the same output shape, " +
                $"got {FormatShape(ForwardLayer.ComputeOutputShape(inputShape))} and {FormatShape(BackwardLayer.ComputeOutputShape(inputShape))}.");
    }

    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <summary>The output's mask: the input's with returnSequences, else none (Keras).</summary>
    public override Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, Tensor? mask) => ReturnSequences ? mask : null;

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => ForwardOutputs([input], null, training)[0];

    /// <inheritdoc/>
    protected override Tensor Forward(IReadOnlyList<Tensor> inputs, Tensor? mask, bool training) => ForwardOutputs(inputs, mask, training)[0];

    /// <inheritdoc/>
    protected override IReadOnlyList<Tensor> ForwardOutputs(IReadOnlyList<Tensor> inputs, Tensor? mask, bool training)
    {
        RequireInputs(inputs.Count, 1);
        var f = ForwardLayer.CallOutputs(inputs[0], training, mask);
        var b = BackwardLayer.CallOutputs(inputs[0], training, mask);
        Tensor y = f[0], yRev = b[0];
        if (ReturnSequences)
        {
            int t = yRev.Shape[1];
            yRev = Ops.Gather(yRev, Enumerable.Range(0, t).Reverse().ToArray(), axis: 1);   // back to input time order
        }
        var outputs = new List<Tensor>();
        switch (MergeMode)
        {
            case "concat": outputs.Add(Ops.Concat([y, yRev], axis: -1)); break;
            case "sum": outputs.Add(Ops.Add(y, yRev)); break;
            case "ave": outputs.Add(Ops.Mul(Ops.Add(y, yRev), 0.5f)); break;
            case "mul": outputs.Add(Ops.Mul(y, yRev)); break;
            default: outputs.Add(y); outputs.Add(yRev); break;
        }
        outputs.AddRange(f.Skip(1));
        outputs.AddRange(b.Skip(1));
        return outputs;
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["merge_mode"] = MergeMode;
        c["layer"] = Nested(ForwardLayer);
        c["backward_layer"] = Nested(BackwardLayer);
        return c;
    }

    private static JsonObject Nested(Layer layer)
    {
        var o = ModelSerializer.Serialize(layer);
        o.Remove("build_config");
        return o;
    }

    /// <summary>Recreates the wrapper from its config (tf.keras 2 files have no "backward_layer": it is derived).</summary>
    public static Bidirectional FromConfig(JsonObject c)
    {
        var layer = ModelDeserializer.Deserialize(LayerConfig.Required(c, "layer", "Bidirectional")) as RecurrentLayer
            ?? throw new ArgumentException("The config of Bidirectional has a 'layer' that is not a recurrent layer.", nameof(c));
        var backward = c["backward_layer"] is JsonNode bn
            ? ModelDeserializer.Deserialize(bn) as RecurrentLayer ?? throw new ArgumentException("The config of Bidirectional has a 'backward_layer' that is not a recurrent layer.", nameof(c))
            : null;
        return new Bidirectional(layer, c.ContainsKey("merge_mode") ? (string?)c["merge_mode"] : "concat", backward, name: (string?)c["name"]);
    }
}
