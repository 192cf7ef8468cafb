using Dendrite.Backends.Cpu.Kernels;
using System.Text.Json.Nodes;

namespace Dendrite.Optimizers;

/// <summary>
/// Base of the Keras optimizers. <see cref="Apply"/> does what Keras 3 does, in its order: clip the gradients
/// (clipnorm per tensor, or global_clipnorm, or clipvalue), apply decoupled weight decay (w -= w * wd * lr), run the
/// optimizer's update on each variable, then count the iteration. Strings convert (<c>optimizer: "adam"</c>).
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<Tensor, float[][]> _slots = new(ReferenceEqualityComparer.Instance);
    private readonly List<Tensor> _active = [];

    /// <summary>Sets the hyper-parameters shared by every optimizer.</summary>
    protected Optimizer(LearningRate learningRate, double kerasDefault, double? weightDecay, double? clipnorm, double? clipvalue, double? globalClipnorm)
        : this(learningRate.Initial(kerasDefault), weightDecay, clipnorm, clipvalue, globalClipnorm)
    {
        Schedule = learningRate.Schedule;
    }

    /// <summary>Sets the hyper-parameters shared by every optimizer.</summary>
    protected Optimizer(double learningRate, double? weightDecay, double? clipnorm, double? clipvalue, double? globalClipnorm)
    {
        if (new[] { clipnorm, clipvalue, globalClipnorm }.Count(v => v is not null) > 1)
            throw new ArgumentException("Only one of clipnorm, clipvalue and globalClipnorm can be set.");
        if (!double.IsFinite(learningRate) || learningRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"{GetType().Name}: the learning rate must be finite and positive, got {learningRate}.");
        CheckOptional(weightDecay, nameof(weightDecay), allowZero: true);
        CheckOptional(clipnorm, nameof(clipnorm), allowZero: false);
        CheckOptional(clipvalue, nameof(clipvalue), allowZero: false);
        CheckOptional(globalClipnorm, nameof(globalClipnorm), allowZero: false);
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        Clipnorm = clipnorm;
        Clipvalue = clipvalue;
        GlobalClipnorm = globalClipnorm;
    }

    private void CheckOptional(double? value, string name, bool allowZero)
    {
        if (value is double v && (!double.IsFinite(v) || v < 0 || (!allowZero && v == 0)))
            throw new ArgumentOutOfRangeException(name, v, $"{GetType().Name}: {name} must be finite and {(allowZero ? "non-negative" : "positive")}, got {v}.");
    }

    private double _learningRate;

    /// <summary>
    /// The learning rate of the next step; setting it replaces any schedule with this constant (callbacks do this
    /// between epochs). It must be finite and non-negative (0 freezes the weights, as a warm-up may).
    /// </summary>
    public double LearningRate
    {
        get => Schedule?.Compute(Iterations) ?? _learningRate;
        set
        {
            if (!double.IsFinite(value) || value < 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, $"{GetType().Name}: the learning rate must be finite and non-negative, got {value}.");
            _learningRate = value;
            Schedule = null;
        }
    }

    /// <summary>The schedule the learning rate follows, if one was given.</summary>
    public LearningRateSchedule? Schedule { get; private set; }

    /// <summary>Decoupled weight decay factor (null: none).</summary>
    public double? WeightDecay { get; }
    /// <summary>Clip each gradient tensor to this L2 norm.</summary>
    public double? Clipnorm { get; }
    /// <summary>Clip each gradient element to [-v, v].</summary>
    public double? Clipvalue { get; }
    /// <summary>Clip all gradients together to this global L2 norm.</summary>
    public double? GlobalClipnorm { get; }

    /// <summary>Steps applied so far.</summary>
    public long Iterations { get; private set; }

    /// <summary>The Keras class name.</summary>
    public abstract string ClassName { get; }

    /// <summary>Per-variable state buffers the update needs (e.g. 2 for Adam's m and v).</summary>
    protected abstract int SlotCount { get; }

    /// <summary>Values held by the optimizer as Keras counts them: iterations, learning rate and every slot.</summary>
    public long StateSize => _slots.Count == 0 ? 0 : 2 + _slots.Sum(kv => (long)kv.Value.Sum(s => s.Length));

    /// <summary>Applies one step to every variable from its <see cref="Tensor.Grad"/> (variables without one are skipped).</summary>
    public void Apply(IReadOnlyList<Tensor> variables)
    {
        var active = _active;
        active.Clear();
        for (int i = 0; i < variables.Count; i++)
            if (variables[i] is { Grad: not null, GradIsStale: false } v) active.Add(v);
        double rate = LearningRate;
        float lr = (float)rate;
        ClipGradients(active);
        if (WeightDecay is double wd && wd > 0)
            foreach (var v in active) SpanMath.Multiply(v.AsSpan(), (float)(1 - wd * rate), v.AsSpan());
        BeginStep();
        foreach (var v in active)
        {
            Update(v, v.Grad!, SlotsFor(v), lr);
            v.MarkWritten();   // fused updates write through Data: caches of the old values (packed panels) go stale
        }
        Iterations++;
    }

    /// <summary>
    /// Makes every data-parallel rank hold rank 0's optimizer state for <paramref name="variables"/>: the iteration
    /// count and, when rank 0 has them (a resumed run), every slot. Every rank must call it together.
    /// </summary>
    internal void BroadcastState(IReadOnlyList<Tensor> variables, Training.IDataParallel dp)
    {
        bool haveAll = variables.Count > 0 && variables.All(_slots.ContainsKey);
        Span<int> head = [(int)(Iterations & 0x7fffffff), (int)(Iterations >> 31), haveAll ? 1 : 0];
        dp.Broadcast(head);
        Iterations = (long)(uint)head[0] | ((long)head[1] << 31);
        if (head[2] == 0) return;
        foreach (var v in variables)
            foreach (var slot in SlotsFor(v)) dp.Broadcast(slot.AsSpan());
    }

    /// <summary>
    /// The learning rate of this step when the update is plain w -= rate · g with nothing else reading the gradient
    /// (SGD without momentum, weight decay or clipping), which an op may then apply inside its weight-gradient product
    /// (<see cref="Tensor.FusedSgdRate"/>); 0 when the optimizer needs the gradient itself.
    /// </summary>
    internal virtual float FusedStepRate() => 0f;

    /// <summary>Called once per step before the per-variable updates (Nadam keeps a running product here).</summary>
    protected virtual void BeginStep() { }

    /// <summary>Updates one variable in place from its gradient, with its slots (zeros at first unless <see cref="InitialSlotValue"/>).
    /// Optimizers override either this or the tensor form.</summary>
    protected virtual void Update(Span<float> w, ReadOnlySpan<float> g, float[][] slots, float lr) =>
        throw new NotSupportedException($"{ClassName} implements neither update form.");

    /// <summary>Updates one variable tensor; the default calls the span form, fused optimizers override it.</summary>
    protected virtual void Update(Tensor variable, Tensor gradient, float[][] slots, float lr) =>
        Update(variable.AsSpan(), gradient.AsSpan(), slots, lr);

    /// <summary>The initial value of every slot element (Adagrad starts its accumulator at 0.1).</summary>
    protected virtual float InitialSlotValue => 0f;

    /// <summary>The slots of <paramref name="v"/> when it has been updated at least once (or restored), else null.</summary>
    internal float[][]? ExistingSlots(Tensor v) => _slots.TryGetValue(v, out var s) ? s : null;

    /// <summary>The slots of <paramref name="v"/>, created (at their initial value) when missing.</summary>
    internal float[][] SlotsOf(Tensor v) => SlotsFor(v);

    /// <summary>Sets the step count (restoring a saved optimizer).</summary>
    internal void RestoreIterations(long iterations) => Iterations = iterations;

    /// <summary>
    /// The slot variables in Keras's order for <paramref name="count"/> variables, as (variable index, slot index):
    /// Keras saves <c>optimizer.variables</c> in creation order, which is per optimizer (Adam interleaves m and v per
    /// variable; RMSprop stores all velocities, then all momentums). Empty when this optimizer's state cannot be laid
    /// out as Keras's (then only iterations and the learning rate are saved). Default: every slot of variable 0, then of 1, ...
    /// </summary>
    protected internal virtual IEnumerable<(int Variable, int Slot)> KerasSlotOrder(int count)
    {
        for (int v = 0; v < count; v++)
            for (int s = 0; s < SlotCount; s++) yield return (v, s);
    }

    /// <summary>
    /// Creates the slots of every variable in <paramref name="variables"/> that has none, as Keras's <c>fit</c> builds its
    /// optimizer before the first step. Created ahead of their first use, their pages are mapped by an idle worker
    /// meanwhile (<see cref="Backends.Cpu.FreshPages.MapSoon"/>) rather than by the first update on the training thread.
    /// </summary>
    internal void Build(IReadOnlyList<Tensor> variables)
    {
        foreach (var v in variables)
            if (!_slots.ContainsKey(v)) _slots[v] = NewSlots(v, mapSoon: true);
    }

    private float[][] SlotsFor(Tensor v)
    {
        if (_slots.TryGetValue(v, out var s)) return s;
        return _slots[v] = NewSlots(v, mapSoon: false);
    }

    /// <summary>Slots for <paramref name="v"/> at their initial value; their pages mapped now (used at once) or soon.</summary>
    private float[][] NewSlots(Tensor v, bool mapSoon)
    {
        var s = new float[SlotCount][];
        for (int i = 0; i < s.Length; i++)
        {
            // Built ahead (mapSoon): each slot's start apart, modulo 4 KB, from the weight's, its gradient's and the
            // slots' before it, which the update streams beside it (Backends.Cpu.ApartArrays).
            s[i] = mapSoon ? Backends.Cpu.ApartArrays.NewArray(v.Size, [v.Data, v.Grad?.Data, i > 0 ? s[0] : null, i > 1 ? s[1] : null])
                : Backends.Cpu.FreshPages.NewArray(v.Size, clear: true);
            if (InitialSlotValue != 0f) Array.Fill(s[i], InitialSlotValue);
            else if (mapSoon) Backends.Cpu.FreshPages.MapSoon(s[i]);
        }
        return s;
    }

    private void ClipGradients(List<Tensor> vars)
    {
        if (Clipnorm is double cn && cn > 0)
            foreach (var v in vars)
            {
                float norm = MathF.Sqrt(SpanMath.Dot(v.Grad!.AsSpan(), v.Grad!.AsSpan()));
                if (norm > cn) SpanMath.Multiply(v.Grad!.AsSpan(), (float)(cn / norm), v.Grad!.AsSpan());
            }
        else if (GlobalClipnorm is double gn && gn > 0)
        {
            double total = 0;
            foreach (var v in vars) total += SpanMath.Dot(v.Grad!.AsSpan(), v.Grad!.AsSpan());
            double norm = Math.Sqrt(total);
            if (norm > gn)
                foreach (var v in vars) SpanMath.Multiply(v.Grad!.AsSpan(), (float)(gn / norm), v.Grad!.AsSpan());
        }
        else if (Clipvalue is double cv && cv > 0)
            foreach (var v in vars) SimdDriver.Unary(new ClipOp((float)-cv, (float)cv), v.Grad!.AsSpan(), v.Grad!.AsSpan());
    }

    /// <summary>The Keras config of this optimizer.</summary>
    public virtual JsonObject GetConfig() => new()
    {
        ["name"] = ClassName.ToLowerInvariant(), ["learning_rate"] = LearningRate, ["weight_decay"] = WeightDecay,
        ["clipnorm"] = Clipnorm, ["global_clipnorm"] = GlobalClipnorm, ["clipvalue"] = Clipvalue,
    };

    /// <summary>An optimizer with Keras defaults by name.</summary>
    public static Optimizer Get(string name) => name.ToLowerInvariant() switch
    {
        "sgd" => new SGD(), "adam" => new Adam(), "adamw" => new AdamW(), "rmsprop" => new RMSprop(),
        "adagrad" => new Adagrad(), "nadam" => new Nadam(),
        _ => throw new ArgumentException($"Unknown optimizer '{name}'. Known: sgd, adam, adamw, rmsprop, adagrad, nadam.", nameof(name)),
    };

    /// <summary>Looks an optimizer up by name.</summary>
    public static implicit operator Optimizer(string name) => Get(name);
}
