namespace Dendrite.Backends;

/// <summary>Which recurrent cell a <see cref="RecurrentArgs"/> runs (gate order along the kernel's columns as Keras's).</summary>
public enum RecurrentCell
{
    /// <summary>h = act(x W + h U + b); one gate.</summary>
    SimpleRnn,

    /// <summary>Gates i, f, c, o; c = f c + i act(z_c), h = o act(c).</summary>
    Lstm,

    /// <summary>Gates z, r, h with the reset applied after the recurrent product (bias (2, 3u)).</summary>
    GruResetAfter,

    /// <summary>Gates z, r, h with the reset applied to h before its product (bias (3u)).</summary>
    GruResetBefore,
}

/// <summary>An activation a recurrent kernel fuses; each has a derivative that its output gives.</summary>
public enum RecurrentActivation
{
    /// <summary>tanh.</summary>
    Tanh,

    /// <summary>The logistic sigmoid.</summary>
    Sigmoid,

    /// <summary>Keras 3 hard sigmoid, clip(x / 6 + 0.5, 0, 1).</summary>
    HardSigmoid,

    /// <summary>Keras 2 hard sigmoid, clip(0.2 x + 0.5, 0, 1) (legacy files).</summary>
    HardSigmoidKeras2,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>The identity.</summary>
    Linear,
}

/// <summary>
/// The tensors of one recurrent sequence op: inputs, outputs, what the forward pass keeps for the backward pass, and
/// the gradients the backward pass writes. Shapes: x (n, t, f), kernel (f, g), recurrent kernel (u, g), g = gates x u;
/// all per-step buffers are batch-major (n, t, ...) and indexed by input time step.
/// </summary>
public sealed class RecurrentArgs
{
    /// <summary>The cell.</summary>
    public required RecurrentCell Cell { get; set; }

    /// <summary>The state size u.</summary>
    public required int Units { get; set; }

    /// <summary>Processes the steps from last to first; the output sequence stays in processing order (as Keras).</summary>
    public bool GoBackwards { get; set; }

    /// <summary>The cell's activation (tanh).</summary>
    public RecurrentActivation Activation { get; set; } = RecurrentActivation.Tanh;

    /// <summary>The gates' activation (sigmoid).</summary>
    public RecurrentActivation GateActivation { get; set; } = RecurrentActivation.Sigmoid;

    /// <summary>Input (n, t, f).</summary>
    public required Tensor X { get; set; }

    /// <summary>Kernel (f, g).</summary>
    public required Tensor Kernel { get; set; }

    /// <summary>Recurrent kernel (u, g).</summary>
    public required Tensor RecurrentKernel { get; set; }

    /// <summary>Bias (g), or (2, g) for <see cref="RecurrentCell.GruResetAfter"/>; null for none.</summary>
    public Tensor? Bias { get; set; }

    /// <summary>Initial h (n, u); null for zeros.</summary>
    public Tensor? H0 { get; set; }

    /// <summary>Initial c (n, u) of an LSTM; null for zeros.</summary>
    public Tensor? C0 { get; set; }

    /// <summary>Per-step mask (n, t): 0 carries the state through the step.</summary>
    public Tensor? Mask { get; set; }

    /// <summary>Recurrent dropout mask (n, u) applied to h before its products (already scaled).</summary>
    public Tensor? RecurrentMask { get; set; }

    /// <summary>Output (n, t + 1, u) when <see cref="WantCell"/> else (n, t, u): h after each processing step, then the last c (see <see cref="LastOnly"/>).</summary>
    public required Tensor Output { get; set; }

    /// <summary>True when row t of <see cref="Output"/> receives the final c (LSTM).</summary>
    public bool WantCell { get; set; }

    /// <summary>
    /// No gradient will be asked for: the forward pass keeps only the running h and c (no <see cref="Gates"/>,
    /// <see cref="HPrev"/> or <see cref="Extra"/>), and <see cref="IBackend.RecurrentBackward"/> must not be called.
    /// </summary>
    public bool ForwardOnly { get; set; }

    /// <summary>
    /// With <see cref="ForwardOnly"/>: <see cref="Output"/> is (n, 1, u), the last h only, or (n, 2, u) with the final c
    /// in row 1 when <see cref="WantCell"/>.
    /// </summary>
    public bool LastOnly { get; set; }

    /// <summary>
    /// With <see cref="ForwardOnly"/>: rows of embedding table · kernel (vocabulary, g) standing in for the input
    /// projection; step t of row n reads row <see cref="TokenIds"/>[n, t] instead of computing x W.
    /// </summary>
    public Tensor? ProjectedTable { get; set; }

    /// <summary>The token ids (n, t) whose embedding rows <see cref="X"/> holds (with <see cref="ProjectedTable"/>).</summary>
    public Tensor? TokenIds { get; set; }

    /// <summary>Saved gates after activation (n, t, g) (the forward pass fills them with the input projection first); null when <see cref="ForwardOnly"/>.</summary>
    public Tensor? Gates { get; set; }

    /// <summary>Saved previous h per step, after the recurrent mask (n, t, u); null when <see cref="ForwardOnly"/>.</summary>
    public Tensor? HPrev { get; set; }

    /// <summary>LSTM: saved c per step (n, t, u). GRU: the recurrent candidate part (reset after) or r h (reset before).</summary>
    public Tensor? Extra { get; set; }

    /// <summary>Backward input: the gradient of <see cref="Output"/>.</summary>
    public Tensor? DOutput { get; set; }

    /// <summary>Backward output: the gradient of x (null: not needed).</summary>
    public Tensor? DX { get; set; }

    /// <summary>Backward output: the kernel's gradient.</summary>
    public Tensor? DKernel { get; set; }

    /// <summary>Backward output: the recurrent kernel's gradient.</summary>
    public Tensor? DRecurrentKernel { get; set; }

    /// <summary>Backward output: the bias's gradient.</summary>
    public Tensor? DBias { get; set; }

    /// <summary>The number of gates (1, 4 or 3).</summary>
    public int GateCount => Cell switch { RecurrentCell.SimpleRnn => 1, RecurrentCell.Lstm => 4, _ => 3 };
}
