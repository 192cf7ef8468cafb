namespace Dendrite.Layers;

/// <summary>
/// A placeholder in a functional graph (Keras's KerasTensor): the per-sample shape (the batch axis is implied) and the
/// layer call that produces it. Created by <see cref="Input"/> and by <see cref="Layer.Call(SymbolicTensor)"/>.
/// </summary>
public sealed class SymbolicTensor
{
    internal SymbolicTensor(Shape shape, LayerNode producer, int index = 0)
    {
        Shape = shape;
        Producer = producer;
        Index = index;
    }

    /// <summary>Which output of its layer call this is (0 unless the layer has several, e.g. an LSTM's h and c states).</summary>
    public int Index { get; }

    /// <summary>The shape of one sample (without the batch axis).</summary>
    public Shape Shape { get; }

    /// <summary>The layer whose call produced this tensor.</summary>
    public Layer Layer => Producer.Layer;

    internal LayerNode Producer { get; }

    /// <summary>Keras style, with the batch axis as None: <c>(None, 32, 32, 3)</c>.</summary>
    public override string ToString() => Layer.FormatShape(Shape);
}

/// <summary>One call of a layer in a graph: its inputs and its output.</summary>
internal sealed class LayerNode(Layer layer, IReadOnlyList<SymbolicTensor> inputs)
{
    public Layer Layer { get; } = layer;
    public IReadOnlyList<SymbolicTensor> Inputs { get; } = inputs;
    public SymbolicTensor Output
    {
        get => Outputs[0];
        set => Outputs = [value];
    }

    /// <summary>Every output of the call (one for most layers).</summary>
    public IReadOnlyList<SymbolicTensor> Outputs { get; set; } = null!;
}
