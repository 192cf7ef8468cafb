using System.Text.Json.Nodes;
using Dendrite.Backends;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// Base of SimpleRNN, LSTM and GRU (Keras's <c>RNN</c> with its cell folded in): input (batch, steps, features),
/// output the last h (batch, units) or every h (batch, steps, units) with <see cref="ReturnSequences"/>, plus the final
/// states with <see cref="ReturnState"/> (<see cref="Layer.CallOutputs(SymbolicTensor)"/>). The whole sequence runs as
/// one op (<see cref="Ops.Recurrent"/>). A per-step input mask carries the state through masked steps. Weights live in
/// Keras's cell: kernel, recurrent_kernel, bias under <c>cell/vars</c>.
/// </summary>
public abstract class RecurrentLayer : Layer
{
    private readonly RandomGenerator _rng;
    private Tensor? _h, _c;

    /// <summary>Stores the configuration shared by every recurrent layer.</summary>
    protected RecurrentLayer(int units, ActivationFunction? activation, bool useBias, Initializer? kernelInitializer,
        Initializer? recurrentInitializer, Initializer? biasInitializer, Regularizer? kernelRegularizer,
        Regularizer? recurrentRegularizer, Regularizer? biasRegularizer, Regularizer? activityRegularizer,
        double dropout, double recurrentDropout, bool returnSequences, bool returnState, bool goBackwards, bool stateful,
        int? seed, int[]? inputShape, string? name)
        : base(name, inputShape)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), $"{ClassName} needs a positive number of units, got {units}.");
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"{ClassName} dropout must be in [0, 1), got {dropout}.");
        if (!(recurrentDropout >= 0 && recurrentDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(recurrentDropout), recurrentDropout, $"{ClassName} recurrentDropout must be in [0, 1), got {recurrentDropout}.");
        Units = units;
        Activation = activation ?? Activations.Tanh;
        ActivationKind = KindOf(Activation, nameof(activation));
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        RecurrentInitializer = recurrentInitializer ?? new Orthogonal();
        BiasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        RecurrentRegularizer = recurrentRegularizer;
        BiasRegularizer = biasRegularizer;
        ActivityRegularizer = activityRegularizer;
        Dropout = dropout;
        RecurrentDropout = recurrentDropout;
        ReturnSequences = returnSequences;
        ReturnState = returnState;
        GoBackwards = goBackwards;
        Stateful = stateful;
        Seed = seed;
        _rng = RandomState.For(seed);
    }

    /// <summary>State size.</summary>
    public int Units { get; }
    /// <summary>The cell's activation (tanh).</summary>
    public ActivationFunction Activation { get; }
    /// <summary>Whether the cell adds a bias.</summary>
    public bool UseBias { get; }
    /// <summary>Kernel initializer (glorot_uniform).</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Recurrent kernel initializer (orthogonal).</summary>
    public Initializer RecurrentInitializer { get; }
    /// <summary>Bias initializer (zeros).</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Kernel penalty.</summary>
    public Regularizer? KernelRegularizer { get; }
    /// <summary>Recurrent kernel penalty.</summary>
    public Regularizer? RecurrentRegularizer { get; }
    /// <summary>Bias penalty.</summary>
    public Regularizer? BiasRegularizer { get; }
    /// <summary>Fraction of the inputs dropped in training (one mask per sequence).</summary>
    public double Dropout { get; }
    /// <summary>Fraction of the previous h dropped in training before its products (one mask per sequence).</summary>
    public double RecurrentDropout { get; }
    /// <summary>Return every step's output (batch, steps, units) instead of the last one.</summary>
    public bool ReturnSequences { get; }
    /// <summary>Also return the final states (h, and c for an LSTM).</summary>
    public bool ReturnState { get; }
    /// <summary>Process the steps from last to first (the returned sequence stays in processing order, as Keras).</summary>
    public bool GoBackwards { get; }
    /// <summary>Keep the final states of a batch as the next batch's initial states (until <see cref="ResetStates"/>).</summary>
    public bool Stateful { get; }
    /// <summary>The dropout seed.</summary>
    public int? Seed { get; }

    /// <summary>Kernel (features, gates x units), after building.</summary>
    public Tensor Kernel { get; private set; } = null!;
    /// <summary>Recurrent kernel (units, gates x units), after building.</summary>
    public Tensor RecurrentKernel { get; private set; } = null!;
    /// <summary>Bias, after building, when used.</summary>
    public Tensor? Bias { get; private set; }

    /// <summary>The kernel op's cell.</summary>
    private protected abstract RecurrentCell Cell { get; }
    /// <summary>Keras's cell name (lstm_cell, gru_cell, simple_rnn_cell).</summary>
    private protected abstract string CellName { get; }
    /// <summary>Gates along the kernel's columns (1, 3 or 4).</summary>
    private protected abstract int Gates { get; }
    /// <summary>States (2 for an LSTM, else 1).</summary>
    private protected virtual int StateCount => 1;
    /// <summary>The gates' activation.</summary>
    private protected virtual RecurrentActivation GateKind => RecurrentActivation.Sigmoid;
    /// <summary>The cell activation.</summary>
    private protected RecurrentActivation ActivationKind { get; }
    /// <summary>The bias shape.</summary>
    private protected virtual Shape BiasShape => [Gates * Units];

    private protected RecurrentActivation KindOf(ActivationFunction f, string argument) =>
        ReferenceEquals(f, Activations.Tanh) ? RecurrentActivation.Tanh
        : ReferenceEquals(f, Activations.Sigmoid) ? RecurrentActivation.Sigmoid
        : ReferenceEquals(f, Activations.HardSigmoid) ? RecurrentActivation.HardSigmoid
        : ReferenceEquals(f, Activations.HardSigmoidKeras2) ? RecurrentActivation.HardSigmoidKeras2
        : ReferenceEquals(f, Activations.Relu) ? RecurrentActivation.Relu
        : ReferenceEquals(f, Activations.Linear) ? RecurrentActivation.Linear
        : throw new ArgumentException($"{ClassName} '{Name}': {argument} '{f.Name}' is not supported; use tanh, sigmoid, hard_sigmoid, hard_sigmoid_keras2, relu or linear.", argument);

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        if (inputShape.Rank != 2)
            throw new ArgumentException($"Layer '{Name}' ({ClassName}) expects inputs of shape (batch, steps, features), but received per-sample shape {FormatShape(inputShape)}.");
        Kernel = AddWeight($"{CellName}/kernel", [inputShape[1], Gates * Units], KernelInitializer, KernelRegularizer);
        RecurrentKernel = AddWeight($"{CellName}/recurrent_kernel", [Units, Gates * Units], RecurrentInitializer, RecurrentRegularizer);
        if (UseBias) Bias = AddWeight($"{CellName}/bias", BiasShape, BiasInitializer, BiasRegularizer);
        if (Bias is not null) InitializeBias(Bias);
    }

    /// <summary>Adjusts a fresh bias (an LSTM's unit forget bias).</summary>
    private protected virtual void InitializeBias(Tensor bias) { }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape) => ReturnSequences ? new Shape([inputShape[0], Units]) : new Shape([Units]);

    /// <inheritdoc/>
    public override int OutputCount => ReturnState ? 1 + StateCount : 1;

    /// <inheritdoc/>
    public override IReadOnlyList<Shape> ComputeOutputShapes(IReadOnlyList<Shape> inputShapes)
    {
        var list = new List<Shape> { ComputeOutputShape(inputShapes) };
        if (ReturnState) for (int i = 0; i < StateCount; i++) list.Add([Units]);
        return list;
    }

    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <summary>The output's mask: the input's with <see cref="ReturnSequences"/>, else none (Keras).</summary>
    public override Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, Tensor? mask) => ReturnSequences ? mask : null;

    /// <summary>Zeroes the kept states of a stateful layer (Keras <c>reset_states</c>).</summary>
    public void ResetStates()
    {
        _h?.AsSpan().Clear();
        _c?.AsSpan().Clear();
    }

    /// <inheritdoc/>
    protected override Tensor Forward(IReadOnlyList<Tensor> inputs, Tensor? mask, bool training) => ForwardOutputs(inputs, mask, training)[0];

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => ForwardOutputs([input], null, training)[0];

    /// <inheritdoc/>
    protected override IReadOnlyList<Tensor> ForwardOutputs(IReadOnlyList<Tensor> inputs, Tensor? mask, bool training)
    {
        RequireInputs(inputs.Count, 1);
        var x = inputs[0];
        int n = x.Shape[0], t = x.Shape[1];
        if (mask is not null && mask.Shape != new Shape([n, t]))
            throw new ArgumentException($"Layer '{Name}' ({ClassName}): the mask must have shape ({n}, {t}), but has shape {mask.Shape}.");
        if (training && Dropout > 0) x = Ops.Mul(x, DropoutMask([n, 1, x.Shape[2]], Dropout));
        var recMask = training && RecurrentDropout > 0 ? DropoutMask([n, Units], RecurrentDropout) : null;
        if (Stateful)
        {
            if (_h is null || _h.Shape[0] != n)
            {
                if (_h is not null) throw new ArgumentException($"Layer '{Name}' ({ClassName}) is stateful and was called with batch size {_h.Shape[0]}; it received batch size {n}; a stateful layer needs a fixed batch size.");
                _h = Tensor.Persistent([n, Units]);
                if (StateCount == 2) _c = Tensor.Persistent([n, Units]);
            }
        }
        bool wantCell = StateCount == 2 && (ReturnState || Stateful);
        bool lastOnly = !ReturnSequences && t > 0;
        var y = Ops.Recurrent(Cell, x, Kernel, RecurrentKernel, Bias, Units, GoBackwards, ActivationKind, GateKind,
            Stateful ? _h : null, Stateful ? _c : null, mask, recMask, wantCell, lastOnly);
        int lastRow = lastOnly ? 0 : t - 1, cRow = lastOnly ? 1 : t;
        var seq = lastOnly ? null : wantCell ? Ops.Slice(y, 1, 0, t) : y;
        var last = lastOnly && !wantCell ? Ops.Reshape(y, n, Units) : Ops.Reshape(Ops.Slice(y, 1, lastRow, 1), n, Units);
        Tensor? c = wantCell ? Ops.Reshape(Ops.Slice(y, 1, cRow, 1), n, Units) : null;
        if (Stateful)
        {
            last.AsSpan().CopyTo(_h!.AsSpan());
            if (c is not null) c.AsSpan().CopyTo(_c!.AsSpan());
        }
        var output = ReturnSequences ? seq! : last;
        if (!ReturnState) return [output];
        return c is null ? [output, last] : [output, last, c];
    }

    private Tensor DropoutMask(Shape shape, double rate)
    {
        var m = Tensor.Empty(shape);
        float keep = (float)(1 - rate), scale = 1f / keep;
        var s = m.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = _rng.NextFloat() < keep ? scale : 0f;
        return m;
    }

    /// <summary>Keras stores the weights in the cell: ("vars", []) and ("cell/vars", kernel, recurrent kernel, bias).</summary>
    protected internal override IEnumerable<(string Path, IReadOnlyList<Tensor> Variables)> KerasVariables()
    {
        yield return ("vars", []);
        yield return ("cell/vars", Weights);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["return_sequences"] = ReturnSequences;
        c["return_state"] = ReturnState;
        c["go_backwards"] = GoBackwards;
        c["stateful"] = Stateful;
        c["unroll"] = false;
        c["zero_output_for_mask"] = false;
        c["units"] = Units;
        c["activation"] = Activation.Name;
        c["use_bias"] = UseBias;
        c["kernel_initializer"] = LayerConfig.Serialize(KernelInitializer);
        c["recurrent_initializer"] = LayerConfig.Serialize(RecurrentInitializer);
        c["bias_initializer"] = LayerConfig.Serialize(BiasInitializer);
        c["kernel_regularizer"] = LayerConfig.Serialize(KernelRegularizer);
        c["recurrent_regularizer"] = LayerConfig.Serialize(RecurrentRegularizer);
        c["bias_regularizer"] = LayerConfig.Serialize(BiasRegularizer);
        c["activity_regularizer"] = LayerConfig.Serialize(ActivityRegularizer);
        c["kernel_constraint"] = null;
        c["recurrent_constraint"] = null;
        c["bias_constraint"] = null;
        c["dropout"] = Dropout;
        c["recurrent_dropout"] = RecurrentDropout;
        c["seed"] = Seed;
        return c;
    }

    /// <summary>The constructor arguments every recurrent layer's config holds.</summary>
    private protected readonly record struct Common(int Units, ActivationFunction Activation, bool UseBias, Initializer? KernelInitializer,
        Initializer? RecurrentInitializer, Initializer? BiasInitializer, Regularizer? KernelRegularizer, Regularizer? RecurrentRegularizer,
        Regularizer? BiasRegularizer, Regularizer? ActivityRegularizer, double Dropout, double RecurrentDropout, bool ReturnSequences,
        bool ReturnState, bool GoBackwards, bool Stateful, int? Seed, string? Name)
    {
        public static Common From(JsonObject c, string cls) => new(
            (int)LayerConfig.Required(c, "units", cls), Activations.Get((string?)c["activation"] ?? "tanh"), (bool?)c["use_bias"] ?? true,
            LayerConfig.Initializer(c["kernel_initializer"]), LayerConfig.Initializer(c["recurrent_initializer"]), LayerConfig.Initializer(c["bias_initializer"]),
            LayerConfig.Regularizer(c["kernel_regularizer"]), LayerConfig.Regularizer(c["recurrent_regularizer"]), LayerConfig.Regularizer(c["bias_regularizer"]),
            LayerConfig.Regularizer(c["activity_regularizer"]), (double?)c["dropout"] ?? 0, (double?)c["recurrent_dropout"] ?? 0,
            (bool?)c["return_sequences"] ?? false, (bool?)c["return_state"] ?? false, (bool?)c["go_backwards"] ?? false,
            (bool?)c["stateful"] ?? false, (int?)c["seed"], (string?)c["name"]);
    }
}
