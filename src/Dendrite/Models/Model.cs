using Dendrite.Layers;

namespace Dendrite.Models;

/// <summary>
/// A functional model: a graph of layer calls from <see cref="Input"/>s to outputs, any DAG, several inputs and
/// outputs allowed. A model is a layer, so it can be called inside another model.
/// <c>var model = new Model(inputs, outputs);</c>
/// </summary>
public partial class Model : Layer
{
    private List<SymbolicTensor> _inputs = [];
    private List<SymbolicTensor> _outputs = [];
    private List<LayerNode> _nodes = [];
    private List<Layer> _layers = [];

    /// <summary>A model from one input to one output.</summary>
    public Model(SymbolicTensor inputs, SymbolicTensor outputs, string? name = null) : this([inputs], [outputs], name) { }

    /// <summary>A model from several inputs to several outputs.</summary>
    public Model(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Any(i => i is null)) throw new ArgumentNullException(nameof(inputs), $"Model '{Name}': an input is null.");
        if (outputs.Any(o => o is null)) throw new ArgumentNullException(nameof(outputs), $"Model '{Name}': an output is null.");
        SetGraph(inputs, outputs);
    }

    /// <summary>For subclasses that set their graph later (<see cref="Sequential"/>).</summary>
    protected Model(string? name) : base(name) { }

    /// <inheritdoc/>
    public override string ClassName => "Functional";

    /// <inheritdoc/>
    protected override string DefaultName => "functional";

    /// <summary>The layers, in graph order (a functional model lists its input layers too, as Keras does).</summary>
    public virtual IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The graph inputs.</summary>
    public IReadOnlyList<SymbolicTensor> Inputs => _inputs;

    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<SymbolicTensor> Outputs => _outputs;

    /// <summary>True once the graph exists (a Sequential without an input shape waits for its first data).</summary>
    public bool HasGraph => _outputs.Count > 0;

    /// <summary>Every layer's weights, layer by layer.</summary>
    public override IReadOnlyList<Tensor> Weights => WeightsOf(static l => l.Weights);

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> TrainableWeights => Trainable ? WeightsOf(static l => l.TrainableWeights) : [];

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> NonTrainableWeights => Trainable ? WeightsOf(static l => l.NonTrainableWeights) : Weights;

    /// <summary>The given weights of every distinct layer, layer by layer.</summary>
    private List<Tensor> WeightsOf(Func<Layer, IReadOnlyList<Tensor>> weights)
    {
        var list = new List<Tensor>();
        foreach (var l in DistinctLayers()) list.AddRange(weights(l));
        return list;
    }

    internal override IEnumerable<Tensor> RegularizationLosses()
    {
        foreach (var l in DistinctLayers())
            foreach (var r in l.RegularizationLosses()) yield return r;
    }

    /// <inheritdoc/>
    internal override void AddRegularizationLosses(List<Tensor> into)
    {
        foreach (var l in DistinctLayers()) l.AddRegularizationLosses(into);
    }

    private sealed record DistinctOf(List<LayerNode> Nodes, Layer[] Layers);

    private DistinctOf? _distinct;   // replaced whole (concurrent readers see one graph's list or another's)

    /// <summary>The graph's layers, each once (a shared layer has several nodes), in node order: worked out once per
    /// graph (<c>_nodes</c> is replaced, never changed, when the graph changes), with loops rather than LINQ, whose
    /// iterators cost their first calls in every fresh process on the way to <c>Fit</c>'s first step.</summary>
    private Layer[] DistinctLayers()
    {
        var nodes = _nodes;
        if (_distinct is { } d && ReferenceEquals(d.Nodes, nodes)) return d.Layers;
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        var layers = new List<Layer>(nodes.Count);
        foreach (var n in nodes)
            if (seen.Add(n.Layer)) layers.Add(n.Layer);
        var made = new DistinctOf(nodes, [.. layers]);
        _distinct = made;
        return made.Layers;
    }

    /// <summary>The layer with this name.</summary>
    public Layer GetLayer(string name) =>
        Layers.FirstOrDefault(l => l.Name == name)
        ?? throw new ArgumentException($"No layer named '{name}' in model '{Name}'. Layers: {string.Join(", ", Layers.Select(l => l.Name))}.", nameof(name));

    /// <summary>The layer at this position of <see cref="Layers"/>.</summary>
    public Layer GetLayer(int index) =>
        index >= 0 && index < Layers.Count ? Layers[index]
        : throw new ArgumentOutOfRangeException(nameof(index), $"Model '{Name}' has {Layers.Count} layers; index {index} is out of range.");

    /// <summary>Sets (or replaces) the graph: walks back from the outputs, checks it reaches only the given inputs.</summary>
    protected void SetGraph(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs)
    {
        if (inputs.Count == 0 || outputs.Count == 0) throw new ArgumentException($"Model '{Name}' needs at least one input and one output.");
        foreach (var i in inputs)
            if (i.Layer is not Input) throw new ArgumentException($"Model '{Name}': every input must come from an Input, but one comes from layer '{i.Layer.Name}'.");
        var order = new List<LayerNode>();
        var seen = new HashSet<LayerNode>();
        var inputNodes = inputs.Select(i => i.Producer).ToHashSet();
        void Visit(LayerNode node, SymbolicTensor tensor)
        {
            if (!seen.Add(node)) return;
            if (node.Layer is Input && !inputNodes.Contains(node))
                throw new ArgumentException($"Graph disconnected: cannot obtain value for tensor {tensor} at layer '{node.Layer.Name}'. It is not among the model's inputs.");
            foreach (var t in node.Inputs) Visit(t.Producer, t);
            order.Add(node);
        }
        foreach (var o in outputs) Visit(o.Producer, o);
        foreach (var i in inputNodes) if (!seen.Contains(i)) order.Insert(0, i);
        _inputs = inputs.ToList();
        _outputs = outputs.ToList();
        _nodes = order;
        _layers = order.Select(n => n.Layer).Distinct().ToList();
        _plan = null;
        InvalidatePlans();
        EnsureBuilt(ShapesOf(inputs));
    }

    /// <summary>Removes the graph (a <see cref="Sequential"/> whose last layer was popped): the model then runs nothing.</summary>
    private protected void ClearGraph()
    {
        _inputs = [];
        _outputs = [];
        _nodes = [];
        _layers = [];
        _plan = null;
        InvalidatePlans();
    }

    /// <summary>Why the model cannot run yet (no graph).</summary>
    private protected virtual string MissingGraphMessage =>
        $"Model '{Name}' has no input shape yet: add an Input or pass inputShape to its first layer.";

    internal IReadOnlyList<LayerNode> Nodes => _nodes;

    /// <inheritdoc/>
    protected override void Build(IReadOnlyList<Shape> inputShapes) { }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(IReadOnlyList<Shape> inputShapes) => SingleOutput().Shape;

    private SymbolicTensor SingleOutput() => _outputs.Count == 1 ? _outputs[0]
        : throw new InvalidOperationException($"Model '{Name}' has {_outputs.Count} outputs; use the methods that return all outputs.");

    /// <inheritdoc/>
    protected override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        SingleOutput();
        return Run(inputs, training)[0];
    }

    /// <summary>Runs the graph on batches of the inputs and returns every output.</summary>
    internal IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (!HasGraph) throw new InvalidOperationException(MissingGraphMessage);
        if (inputs.Count != _inputs.Count)
            throw new ArgumentException($"Model '{Name}' expects {_inputs.Count} input(s), but received {inputs.Count}.");
        return (_plan ??= new GraphPlan(_inputs, _outputs, _nodes)).Run(inputs, training);
    }

    private GraphPlan? _plan;
}
