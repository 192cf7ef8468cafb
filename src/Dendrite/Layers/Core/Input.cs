using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>
/// The entry point of a model: declares the per-sample shape. Use it first in a <see cref="Models.Sequential"/>, or as
/// the start of a functional graph: <c>var inputs = new Input(shape: [32, 32, 3]); var h = new Flatten().Call(inputs);</c>
/// (Keras's <c>keras.Input</c> and <c>InputLayer</c> in one.)
/// </summary>
public sealed class Input : Layer
{
    /// <summary>Declares an input of this per-sample shape.</summary>
    public Input(int[] shape, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var s = new Shape(shape);
        EnsureBuilt([s]);
        var node = new LayerNode(this, []);
        node.Output = new SymbolicTensor(s, node);
        InboundNodes.Add(node);
        Output = node.Output;
    }

    /// <inheritdoc/>
    public override string ClassName => "InputLayer";

    /// <inheritdoc/>
    protected override string DefaultName => "input_layer";

    /// <summary>The graph tensor this input stands for.</summary>
    public SymbolicTensor Output { get; }

    /// <summary>The per-sample shape.</summary>
    public Shape Shape => Output.Shape;

    /// <summary>An Input used where a graph tensor is expected.</summary>
    public static implicit operator SymbolicTensor(Input input) => input.Output;

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => input;

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["batch_shape"] = new JsonArray([null, .. Shape.Select(d => (JsonNode)d)]);
        return c;
    }
}
