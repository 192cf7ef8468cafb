using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// Base of every layer. A layer keeps its configuration from the constructor, creates its weights in
/// <see cref="Build(Shape)"/> the first time it is called (when the input shape is known), and computes only through
/// <see cref="Ops"/>. Call it on a <see cref="Tensor"/> (eager) or a <see cref="SymbolicTensor"/> (to build a model).
/// Shapes given to and returned by layers are per sample: the batch axis is implied.
/// </summary>
public abstract partial class Layer
{
    private static readonly ConcurrentDictionary<string, int> NameCounts = new();
    private readonly List<Tensor> _weights = [];
    private readonly List<bool> _weightTrainable = [];
    private readonly List<(Tensor Weight, Regularizer Regularizer)> _regularized = [];
    private IReadOnlyList<Shape>? _builtInputShapes;

    /// <summary>Names the layer: the given name, or snake_case of the class with a counter (dense, dense_1, ...).</summary>
    protected Layer(string? name = null, int[]? inputShape = null)
    {
        Name = name ?? UniqueName(DefaultName);
        DeclaredInputShape = inputShape is null ? (Shape?)null : new Shape(inputShape);
    }

    /// <summary>The layer's unique name.</summary>
    public string Name { get; }

    /// <summary>The Keras class name (e.g. "Dense"), used in summaries and saved configs.</summary>
    public abstract string ClassName { get; }

    /// <summary>Base of the automatic name (default: the class name in snake_case).</summary>
    protected virtual string DefaultName => SnakeCase(ClassName);

    /// <summary>Whether the optimizer updates this layer's weights.</summary>
    public bool Trainable { get; set; } = true;

    /// <summary>The per-sample input shape given with <c>inputShape:</c> (Sequential uses it on its first layer).</summary>
    public Shape? DeclaredInputShape { get; }

    /// <summary>True once the weights exist.</summary>
    public bool Built => _builtInputShapes is not null;

    /// <summary>Regularizer applied to the layer's output during training (adds to the loss).</summary>
    public Regularizer? ActivityRegularizer { get; protected init; }

    /// <summary>Every weight, in creation order (kernel, then bias, ...).</summary>
    public virtual IReadOnlyList<Tensor> Weights => _weights;

    /// <summary>The weights the optimizer updates.</summary>
    public virtual IReadOnlyList<Tensor> TrainableWeights => Trainable ? WeightsWhere(trainable: true) : [];

    /// <summary>The weights the optimizer does not update.</summary>
    public virtual IReadOnlyList<Tensor> NonTrainableWeights => Trainable ? WeightsWhere(trainable: false) : _weights;

    /// <summary>The weights created trainable (or not). A loop: LINQ's iterators cost their first calls in every fresh
    /// process, and <c>Fit</c> asks for the trainable weights before its first step.</summary>
    private List<Tensor> WeightsWhere(bool trainable)
    {
        var list = new List<Tensor>(_weights.Count);
        for (int i = 0; i < _weights.Count; i++)
            if (_weightTrainable[i] == trainable) list.Add(_weights[i]);
        return list;
    }

    /// <summary>Number of values in all weights.</summary>
    public int CountParams() => checked((int)Weights.Sum(w => (long)w.Size));

    /// <summary>Creates a weight (called from <see cref="Build(Shape)"/>).</summary>
    protected Tensor AddWeight(string name, Shape shape, Initializer initializer, Regularizer? regularizer = null, bool trainable = true)
    {
        var w = initializer.Create(shape);
        w.Name = $"{Name}/{name}";
        w.RequiresGrad = trainable;
        _weights.Add(w);
        _weightTrainable.Add(trainable);
        if (regularizer is not null) _regularized.Add((w, regularizer));
        return w;
    }

    /// <summary>True when a weight of this layer has a regularizer.</summary>
    internal bool HasRegularizedWeights => _regularized.Count > 0;

    /// <summary>Weight penalties of this layer (and its sub-layers), to add to the training loss.</summary>
    internal virtual IEnumerable<Tensor> RegularizationLosses()
    {
        // An iterator of this class rather than Select over the tuple list, which is compiled in every fresh process.
        foreach (var (weight, regularizer) in _regularized) yield return regularizer.Penalty(weight);
    }

    /// <summary>Adds the same penalties as <see cref="RegularizationLosses"/> to a list, allocating nothing of its own
    /// (the training step's form; a layer that overrides one overrides both).</summary>
    internal virtual void AddRegularizationLosses(List<Tensor> into)
    {
        foreach (var (w, r) in _regularized) into.Add(r.Penalty(w));
    }

    /// <summary>Creates the weights for a single input of this per-sample shape.</summary>
    protected virtual void Build(Shape inputShape) { }

    /// <summary>Creates the weights for these per-sample input shapes (single-input layers override <see cref="Build(Shape)"/>).</summary>
    protected virtual void Build(IReadOnlyList<Shape> inputShapes)
    {
        RequireInputs(inputShapes.Count, 1);
        Build(inputShapes[0]);
    }

    /// <summary>The per-sample output shape for one input shape.</summary>
    public virtual Shape ComputeOutputShape(Shape inputShape) => inputShape;

    /// <summary>The per-sample output shape for these input shapes.</summary>
    public virtual Shape ComputeOutputShape(IReadOnlyList<Shape> inputShapes)
    {
        RequireInputs(inputShapes.Count, 1);
        return ComputeOutputShape(inputShapes[0]);
    }

    /// <summary>The computation for one input (batch axis first).</summary>
    protected virtual Tensor Forward(Tensor input, bool training) =>
        throw new NotSupportedException($"Layer '{Name}' ({ClassName}) takes several inputs.");

    /// <summary>The computation for several inputs (single-input layers override <see cref="Forward(Tensor, bool)"/>).</summary>
    protected virtual Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        RequireInputs(inputs.Count, 1);
        return Forward(inputs[0], training);
    }

    /// <summary>
    /// The computation with the input's per-timestep mask (Keras's <c>mask</c> argument): null when the input has none.
    /// Mask-aware layers (recurrent layers, GlobalAveragePooling1D) override this; the default ignores the mask.
    /// </summary>
    protected virtual Tensor Forward(IReadOnlyList<Tensor> inputs, Tensor? mask, bool training) => Forward(inputs, training);

    /// <summary>Every output of the computation (layers with several outputs, e.g. a recurrent layer with <c>returnState</c>, override this).</summary>
    protected virtual IReadOnlyList<Tensor> ForwardOutputs(IReadOnlyList<Tensor> inputs, Tensor? mask, bool training) =>
        [Forward(inputs, mask, training)];

    /// <summary>How many outputs a call yields (1 for most layers; see <see cref="CallOutputs(Tensor, bool, Tensor?)"/>).</summary>
    public virtual int OutputCount => 1;

    /// <summary>The per-sample shapes of every output (layers with several outputs override this).</summary>
    public virtual IReadOnlyList<Shape> ComputeOutputShapes(IReadOnlyList<Shape> inputShapes) => [ComputeOutputShape(inputShapes)];

    /// <summary>True when the layer passes an input mask on unchanged (Keras's <c>supports_masking</c>).</summary>
    public virtual bool SupportsMasking => false;

    /// <summary>
    /// The mask of the (first) output, from the inputs and the first input's mask (Keras's <c>compute_mask</c>): a
    /// (batch, steps) tensor of 1 (kept) and 0 (masked), or null. Default: the input's mask when
    /// <see cref="SupportsMasking"/>, else none.
    /// </summary>
    public virtual Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, Tensor? mask) => SupportsMasking ? mask : null;

    /// <summary>Applies the layer to a batch (building it on first use). <paramref name="training"/> switches dropout and the like.</summary>
    public Tensor Call(Tensor input, bool training = false) => Call([input], training);

    /// <summary>Applies the layer to a batch with a per-timestep mask ((batch, steps), 1 kept, 0 masked), as Keras's <c>mask=</c>.</summary>
    public Tensor Call(Tensor input, bool training, Tensor? mask) => InvokeFirst([input], training, mask);

    /// <summary>Every output of a call (a recurrent layer with <c>returnState</c> yields [output, h] or [output, h, c]).</summary>
    public IReadOnlyList<Tensor> CallOutputs(Tensor input, bool training = false, Tensor? mask = null) => Invoke([input], training, mask);

    /// <summary>Applies the layer to several batches (merge layers, multi-input models); a layer with several outputs returns its first.</summary>
    public Tensor Call(IReadOnlyList<Tensor> inputs, bool training = false) => InvokeFirst(inputs, training, null);

    /// <summary>Applies the layer with the first input's mask and returns every output (the model runner uses it).</summary>
    internal IReadOnlyList<Tensor> Invoke(IReadOnlyList<Tensor> inputs, bool training, Tensor? mask)
    {
        if (OutputCount == 1) return [InvokeFirst(inputs, training, mask)];
        ArgumentNullException.ThrowIfNull(inputs);
        if (!MatchesBuiltShapes(inputs)) CheckAndBuild(inputs);
        var outputs = ForwardOutputs(inputs, mask, training);
        if (training && ActivityRegularizer is not null) LossCollector.Add(ActivityRegularizer.Penalty(outputs[0]));
        return outputs;
    }

    /// <summary>Applies the layer and returns its first output, allocating nothing beyond the computation itself in the
    /// steady state (the graph runner and <see cref="Call(IReadOnlyList{Tensor}, bool)"/> use it).</summary>
    internal Tensor InvokeFirst(IReadOnlyList<Tensor> inputs, bool training, Tensor? mask)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!MatchesBuiltShapes(inputs)) CheckAndBuild(inputs);
        var output = OutputCount == 1 ? Forward(inputs, mask, training) : ForwardOutputs(inputs, mask, training)[0];
        if (training && ActivityRegularizer is not null) LossCollector.Add(ActivityRegularizer.Penalty(output));
        return output;
    }

    /// <summary>True when the layer is built and every input's per-sample shape is exactly the built one (the steady
    /// state of a training or prediction loop: nothing to build or check, and nothing allocated).</summary>
    internal bool MatchesBuiltShapes(IReadOnlyList<Tensor> inputs)
    {
        if (!Built || _builtInputShapes is not { } built || built.Count != inputs.Count) return false;
        for (int i = 0; i < inputs.Count; i++)
        {
            var t = inputs[i];
            if (t is null || t.Rank != built[i].Rank + 1) return false;
            var dims = t.Shape.Dims;
            var expected = built[i].Dims;
            for (int d = 0; d < expected.Length; d++) if (dims[d + 1] != expected[d]) return false;
        }
        return true;
    }

    private void CheckAndBuild(IReadOnlyList<Tensor> inputs)
    {
        var shapes = new List<Shape>(inputs.Count);
        foreach (var t in inputs)
        {
            if (t is null) throw new ArgumentNullException(nameof(inputs), $"Layer '{Name}' ({ClassName}) was called on a null tensor.");
            if (t.Rank == 0) throw new ArgumentException($"Layer '{Name}' ({ClassName}) needs inputs with a batch axis, got a scalar.");
            shapes.Add(new Shape(t.Shape.ToArray()[1..]));
        }
        EnsureBuilt(shapes);
        CheckInputShapes(shapes);
    }

    /// <summary>Adds a call of this layer to a graph being built.</summary>
    public SymbolicTensor Call(SymbolicTensor input) => Call([input]);

    /// <summary>Adds a call of this layer on several graph tensors (merge layers).</summary>
    public SymbolicTensor Call(params SymbolicTensor[] inputs) => Call((IReadOnlyList<SymbolicTensor>)inputs);

    /// <summary>Adds a call of this layer on several graph tensors (merge layers); a layer with several outputs returns its first.</summary>
    public SymbolicTensor Call(IReadOnlyList<SymbolicTensor> inputs) => CallOutputs(inputs)[0];

    /// <summary>Adds a call of this layer to a graph and returns every output (e.g. [output, h, c] of an LSTM with <c>returnState</c>).</summary>
    public IReadOnlyList<SymbolicTensor> CallOutputs(SymbolicTensor input) => CallOutputs([input]);

    /// <summary>Adds a call of this layer on several graph tensors and returns every output.</summary>
    public IReadOnlyList<SymbolicTensor> CallOutputs(IReadOnlyList<SymbolicTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var t in inputs)
            if (t is null) throw new ArgumentNullException(nameof(inputs), $"Layer '{Name}' ({ClassName}) was called on a null tensor.");
        var shapes = ShapesOf(inputs);
        EnsureBuilt(shapes);
        CheckInputShapes(shapes);
        var node = new LayerNode(this, inputs.ToList());
        var outputs = new List<SymbolicTensor>();
        var outShapes = ComputeOutputShapes(shapes);
        for (int i = 0; i < outShapes.Count; i++) outputs.Add(new SymbolicTensor(outShapes[i], node, i));
        node.Outputs = outputs;
        InboundNodes.Add(node);
        return node.Outputs;
    }

    /// <summary>The shapes of graph tensors, in a new list (a loop: LINQ over the <see cref="Shape"/> struct is
    /// compiled in every fresh process on the way to its first training step; the ReadyToRun image holds
    /// this).</summary>
    internal static List<Shape> ShapesOf(IReadOnlyList<SymbolicTensor> tensors)
    {
        var shapes = new List<Shape>(tensors.Count);
        for (int i = 0; i < tensors.Count; i++) shapes.Add(tensors[i].Shape);
        return shapes;
    }

    internal List<LayerNode> InboundNodes { get; } = [];

    /// <summary>The per-sample input shapes the layer was built for (null before).</summary>
    public IReadOnlyList<Shape>? BuiltInputShapes => _builtInputShapes;

    /// <summary>Builds the layer for these per-sample input shapes if it is not built yet.</summary>
    public void EnsureBuilt(IReadOnlyList<Shape> shapes)
    {
        if (Built) return;
        Build(shapes);
        var copy = new List<Shape>(shapes.Count);
        for (int i = 0; i < shapes.Count; i++) copy.Add(shapes[i]);
        _builtInputShapes = copy;
    }

    /// <summary>Throws, naming the layer, when inputs differ from the shapes the layer was built for (axes of -1 accept any length).</summary>
    protected virtual void CheckInputShapes(IReadOnlyList<Shape> shapes)
    {
        var built = _builtInputShapes!;
        if (shapes.Count != built.Count)
            throw new ArgumentException($"Layer '{Name}' ({ClassName}) expects {built.Count} input(s), but received {shapes.Count}.");
        for (int i = 0; i < shapes.Count; i++)
            if (!Compatible(built[i], shapes[i]))
                throw new ArgumentException($"Input {i} of layer '{Name}' ({ClassName}) is incompatible with the layer: expected shape {FormatShape(built[i])}, but received input with shape {FormatShape(shapes[i])}.");
    }

    private static bool Compatible(Shape expected, Shape actual)
    {
        if (expected.Rank != actual.Rank) return false;
        for (int i = 0; i < expected.Rank; i++) if (expected[i] != actual[i]) return false;
        return true;
    }

    /// <summary>Throws unless exactly <paramref name="expected"/> inputs were given.</summary>
    protected void RequireInputs(int count, int expected)
    {
        if (count != expected)
            throw new ArgumentException($"Layer '{Name}' ({ClassName}) takes {expected} input(s), but received {count}.");
    }

    /// <summary>The layer's Keras config (name, trainable and the constructor arguments).</summary>
    public virtual JsonObject GetConfig() => new() { ["name"] = Name, ["trainable"] = Trainable };

    /// <summary>A per-sample shape as Keras prints it, batch axis first: <c>(None, 3072)</c>.</summary>
    public static string FormatShape(Shape perSample) =>
        "(" + string.Join(", ", new[] { "None" }.Concat(perSample.Select(d => d.ToString()))) + ")";

    /// <summary>Copies values into the weights, in <see cref="Weights"/> order, checking every shape.</summary>
    public void SetWeights(IReadOnlyList<Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var ws = Weights;
        if (values.Count != ws.Count)
            throw new ArgumentException($"Layer '{Name}' has {ws.Count} weight(s) but {values.Count} value(s) were given.");
        for (int i = 0; i < ws.Count; i++)
        {
            if (values[i] is null) throw new ArgumentNullException(nameof(values), $"Layer '{Name}': value {i} (for {ws[i].Name}) is null.");
            if (values[i].Shape != ws[i].Shape)
                throw new ArgumentException($"Weight {i} ({ws[i].Name}) of layer '{Name}' has shape {ws[i].Shape}, but the value has shape {values[i].Shape}.");
        }
        for (int i = 0; i < ws.Count; i++) values[i].AsSpan().CopyTo(ws[i].AsSpan());
    }

    /// <summary>Copies of the weights, in <see cref="Weights"/> order.</summary>
    public TensorList GetWeights() => new(Weights.Select(w => { var c = w.Clone(); c.Name = w.Name; return c; }));

    internal static string UniqueName(string baseName)
    {
        int n = NameCounts.AddOrUpdate(baseName, 0, (_, c) => c + 1);
        return n == 0 ? baseName : $"{baseName}_{n}";
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({ClassName})";
}
