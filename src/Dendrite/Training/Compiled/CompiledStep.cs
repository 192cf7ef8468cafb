using Dendrite.Layers;
using Dendrite.Losses;
using Dendrite.Models;
using Dendrite.Optimizers;

namespace Dendrite.Training.Compiled;

/// <summary>
/// A model's train and predict steps compiled once, the way Keras traces its train step into a graph: for a chain of
/// Dense, Activation, ReLU, LeakyReLU, ELU, Softmax, Dropout and Flatten layers from one input to one output, ending in
/// a loss it knows (categorical, sparse categorical or binary cross-entropy on softmax/sigmoid outputs or logits, mean
/// squared error). Buffers are allocated for the batch size and reused, nothing is recorded on a tape, bias and
/// activation run as one pass, cross-entropy is fused with its softmax or sigmoid, and gradients are written straight
/// into the weights' gradient buffers. Models it does not cover (other layers, graphs, regularizers, sample weights)
/// train on the tape; both give the same results.
/// </summary>
internal sealed class CompiledStep
{
    private readonly Stage[] _stages;
    private readonly LossHead? _head;
    private readonly LaneBuffers _x;
    private readonly StepBuffer _y, _yForMetrics;
    private readonly int _inputWidth;
    private readonly Tensor[] _inputs;
    private IReadOnlyList<Tensor> _trainable = [];

    private CompiledStep(Stage[] stages, LossHead? head, int inputWidth, int targetWidth, Shape targetShape)
    {
        _stages = stages;
        _head = head;
        _x = new LaneBuffers(inputWidth);
        _inputWidth = inputWidth;
        _runLane = RunLane;
        foreach (var stage in stages) _macsPerRow += stage.MacsPerRow;
        _y = new StepBuffer(targetWidth);
        _yForMetrics = _y.Reshaped(targetShape);
        _inputs = new Tensor[stages.Length + 1];
    }

    /// <summary>
    /// The compiled steps of <paramref name="model"/>, or null when it is not a plain chain of supported layers.
    /// With a <paramref name="loss"/> (training) the loss must be one the step knows for targets of
    /// <paramref name="targetShape"/> (per sample); without one, only prediction is compiled.
    /// </summary>
    public static CompiledStep? TryCreate(Model model, Loss? loss, Shape? targetShape)
    {
        if (model.Inputs.Count != 1 || model.Outputs.Count != 1 || model.Outputs[0].Shape.Rank != 1) return null;
        var chain = Chain(model);
        if (chain is null) return null;
        int width = model.Inputs[0].Shape.Size, inputWidth = width;
        var last = chain.Count > 0 ? LastActivation(chain[^1]) : "linear";
        int outWidth = model.Outputs[0].Shape[0];
        LossHead? head = null;
        if (loss is not null)
        {
            if (targetShape is not { } ts) return null;
            head = LossHead.For(loss, last, outWidth, ts.Size);
            if (head is null) return null;
        }
        // A final softmax (sigmoid) goes into the fused cross-entropy, which takes the logits.
        bool activationInLoss = (head is SoftmaxCrossEntropyHead && last == "softmax") || (head is SigmoidCrossEntropyHead && last == "sigmoid");
        var stages = new Stage[chain.Count];
        for (int i = 0; i < chain.Count; i++)
        {
            var stage = StageFor(chain[i], width, activationInLoss && i == chain.Count - 1);
            if (stage is null) return null;
            stages[i] = stage;
            width = stage.Width;
        }
        var tShape = targetShape ?? new Shape([outWidth]);
        return new CompiledStep(stages, head, inputWidth, tShape.Size, tShape);
    }

    /// <summary>The layers from the input to the output when each takes the previous one's output, used once.</summary>
    private static List<Layer>? Chain(Model model)
    {
        var chain = new List<Layer>();
        SymbolicTensor current = model.Inputs[0];
        foreach (var node in model.Nodes)
        {
            if (node.Layer is Input) { if (!ReferenceEquals(node.Output, current)) return null; continue; }
            if (node.Inputs.Count != 1 || !ReferenceEquals(node.Inputs[0], current) || chain.Contains(node.Layer)) return null;
            if (node.Layer.ActivityRegularizer is not null || node.Layer.HasRegularizedWeights) return null;
            chain.Add(node.Layer);
            current = node.Output!;
        }
        return ReferenceEquals(current, model.Outputs[0]) ? chain : null;
    }

    /// <summary>What the final layer applies last: "softmax", "sigmoid", "linear", or null for anything else.</summary>
    private static string? LastActivation(Layer layer) => layer switch
    {
        Dense d => Name(d.Activation),
        Layers.Activation a => Name(a.Function),
        Softmax s when s.Axis is -1 => "softmax",
        _ => null,
    };

    private static string? Name(ActivationFunction f) =>
        f.IsSoftmax ? "softmax" : f.IsLinear ? "linear" : f.Elementwise == Backends.UnaryOp.Sigmoid ? "sigmoid" : null;

    private static Stage? StageFor(Layer layer, int width, bool activationInLoss) => layer switch
    {
        Dense d when d.BuiltInputShapes is [{ Rank: 1 } s] && s[0] == width && Supported(d.Activation) => new DenseStage(d, width, activationInLoss),
        Layers.Activation a when Supported(a.Function) => Activation(a.Function, width, activationInLoss),
        ReLU r when r.MaxValue is null => new ActivationStage(r.NegativeSlope == 0f ? Backends.UnaryOp.Relu : Backends.UnaryOp.LeakyRelu, r.NegativeSlope, false, width, false),
        LeakyReLU l => new ActivationStage(Backends.UnaryOp.LeakyRelu, l.NegativeSlope, false, width, false),
        ELU e => new ActivationStage(Backends.UnaryOp.Elu, e.Alpha, false, width, false),
        Softmax s when s.Axis is -1 => new ActivationStage(null, 0f, true, width, activationInLoss),
        Dropout d => new DropoutStage(d, width),
        Flatten => new IdentityStage(width),
        _ => null,
    };

    private static bool Supported(ActivationFunction f) => f.IsLinear || f.IsSoftmax || f.Elementwise is not null;

    private static ActivationStage Activation(ActivationFunction f, int width, bool activationInLoss) =>
        new(f.Elementwise, f.Alpha, f.IsSoftmax, width, activationInLoss);

    /// <summary>Sets, at the start of a Fit, which weights get gradients and the optimizer updates.</summary>
    public void Prepare(IReadOnlyList<Tensor> trainable)
    {
        _trainable = trainable;
        foreach (var s in _stages) s.Prepare(trainable);
    }

    /// <summary>
    /// One optimizer step on the given rows of x and y: forward, loss, backward, update. Returns the batch's mean loss;
    /// <paramref name="targets"/> and <paramref name="output"/> are views for the metrics, valid until the next step.
    /// <paramref name="beforeApply"/> runs between the backward pass and the update (data-parallel training averages
    /// the gradients there); <paramref name="gradientReady"/> hears of each weight as soon as its gradient is written.
    /// </summary>
    public float TrainStep(Tensor x, Tensor y, ReadOnlySpan<int> rows, Optimizer optimizer, Action? beforeApply, Action<Tensor>? gradientReady,
        out Tensor targets, out Tensor output)
    {
        int n = rows.Length;
        var xb = _x[0].View(n);
        var yb = _y.View(n);
        Ops.Direct.GatherRows(x, rows, xb);
        Ops.Direct.GatherRows(y, rows, yb);
        _inputs[0] = xb;
        for (int i = 0; i < _stages.Length; i++) _inputs[i + 1] = _stages[i].Forward(_inputs[i], n);
        var prediction = _inputs[^1];
        float loss = _head!.Forward(prediction, yb, n);
        var grad = _head.Backward(prediction, n);
        for (int i = _stages.Length - 1; i >= 0; i--)
        {
            grad = _stages[i].Backward(_inputs[i], _inputs[i + 1], grad!, n, needInputGrad: i > 0);
            if (gradientReady is not null) foreach (var w in _stages[i].GradientWeights) gradientReady(w);
        }
        beforeApply?.Invoke();
        optimizer.Apply(_trainable);
        targets = _yForMetrics.View(n);
        output = _head.Output(prediction, n);
        return loss;
    }

    /// <summary>
    /// Prepares a prediction over <paramref name="totalRows"/> rows: the weights are packed once for all batches, and
    /// each lane that may run gets its own buffers.
    /// </summary>
    public void BeginPredict(int totalRows)
    {
        int lanes = _readyLanes = Ops.Direct.Lanes;
        MostLanes = 1;
        _x.Ensure(lanes);
        foreach (var s in _stages)
        {
            s.BeginPredict(totalRows);
            s.EnsureLanes(lanes);
        }
    }

    /// <summary>Releases the packed weights.</summary>
    public void EndPredict()
    {
        foreach (var s in _stages) s.EndPredict();
    }

    /// <summary>
    /// Writes the model's output for rows [start, start + count) of x, without autodiff, into rows resultRow.. of
    /// <paramref name="result"/>. A batch with enough work is split by rows into lanes that run the whole chain at the
    /// same time, each on its own buffers, with no barrier between layers; rows are independent, so the output is the
    /// same as in one piece.
    /// </summary>
    public void Predict(Tensor x, int start, int count, Tensor result, int resultRow)
    {
        // Never more lanes than BeginPredict made buffers for (the thread setting may have changed since).
        int lanes = Math.Min(Math.Min(Ops.Direct.Lanes, _readyLanes), count / MinLaneRows);
        if (lanes <= 1 || (long)count * _macsPerRow < MinLaneMacs * lanes)
        {
            Model.CopyRows(PredictLane(x, start, count, 0), result, resultRow, result.Shape[0]);
            return;
        }
        MostLanes = Math.Max(MostLanes, lanes);
        (_laneX, _laneStart, _laneCount, _laneLanes, _laneResult, _laneResultRow) = (x, start, count, lanes, result, resultRow);
        try { Ops.Direct.RunLanes(lanes, _runLane); }
        finally { (_laneX, _laneResult) = (null, null); }
    }

    /// <summary>The most lanes one batch of the current (or last) prediction ran on.</summary>
    public int MostLanes { get; private set; } = 1;

    private const int MinLaneRows = 8;
    private const long MinLaneMacs = 1L << 18;
    private readonly Action<int> _runLane;
    private readonly long _macsPerRow;
    private Tensor? _laneX, _laneResult;
    private int _laneStart, _laneCount, _laneLanes, _laneResultRow, _readyLanes = 1;

    /// <summary>Lane <paramref name="lane"/>'s share of the rows of the current <see cref="Predict(Tensor, int, int, Tensor, int)"/>.</summary>
    private void RunLane(int lane)
    {
        int lo = (int)((long)_laneCount * lane / _laneLanes), hi = (int)((long)_laneCount * (lane + 1) / _laneLanes);
        if (hi > lo) Model.CopyRows(PredictLane(_laneX!, _laneStart + lo, hi - lo, lane), _laneResult!, _laneResultRow + lo, _laneResult!.Shape[0]);
    }

    /// <summary>The output for rows [start, start + count) of x in lane <paramref name="lane"/>'s buffers (valid until its next call).</summary>
    private Tensor PredictLane(Tensor x, int start, int count, int lane)
    {
        // A first Dense with packed weights reads the rows where they are; otherwise they are copied into the input buffer.
        int first = 0;
        while (first < _stages.Length && _stages[first].PassThroughWhenPredicting) first++;
        Tensor current;
        if (first < _stages.Length && _stages[first] is DenseStage { ReadsRowsInPlace: true } dense)
            current = dense.Predict(x, start, count, lane);
        else
        {
            current = _x[lane].View(count);
            x.AsSpan().Slice(start * _inputWidth, count * _inputWidth).CopyTo(current.AsSpan());
            first--;
        }
        for (int i = first + 1; i < _stages.Length; i++) current = _stages[i].Predict(current, count, lane);
        return current;
    }
}
