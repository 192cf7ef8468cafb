using Dendrite.Autodiff;
using Dendrite.Layers;

namespace Dendrite.Models;

/// <summary>
/// A model's graph laid out once for running: every value gets a slot, every layer call the slots of its arguments and
/// of its result, so a run walks arrays instead of a dictionary and allocates nothing per layer call. The slot and
/// argument arrays come from a small pool of sets (one per concurrent run); beyond it a run gets new ones.
/// </summary>
internal sealed class GraphPlan
{
    private readonly Layer[] _layers;
    private readonly int[][] _argSlots;
    private readonly int[][] _resultSlots;
    private readonly int[] _inputSlots, _outputSlots;
    private readonly int _slotCount;
    // Per call: the run of three calls that inference computes as one from here (InferenceFusion), or null.
    private readonly InferenceFusion?[] _fusions;
    // Per call: the [BatchNormalization, LeakyReLU] pair that training computes as one op from here (TrainingFusion), or null.
    private readonly TrainingFusion?[] _trainingFusions;
    // A few sets of run arrays, so that concurrent runs (inference lanes, callers on several threads) reuse theirs too.
    private readonly RunArrays?[] _free = new RunArrays?[4];

    private sealed class RunArrays(int slots, int[][] argSlots)
    {
        public readonly Tensor[] Values = new Tensor[slots];
        public readonly Tensor?[] Masks = new Tensor?[slots];
        public readonly Tensor[][] Args = argSlots.Select(a => new Tensor[a.Length]).ToArray();
    }

    public GraphPlan(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs, IReadOnlyList<LayerNode> nodes)
    {
        var slots = new Dictionary<SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        int Slot(SymbolicTensor t)
        {
            if (!slots.TryGetValue(t, out int s)) slots[t] = s = slots.Count;
            return s;
        }
        // Loops rather than Select(Slot): a LINQ iterator over int is a generic instantiation the ReadyToRun image does
        // not hold, compiled in every fresh process before its first step.
        int[] Slots(IReadOnlyList<SymbolicTensor> ts)
        {
            var r = new int[ts.Count];
            for (int i = 0; i < r.Length; i++) r[i] = Slot(ts[i]);
            return r;
        }
        _inputSlots = Slots(inputs);
        var calls = nodes.Where(n => n.Layer is not Input).ToList();
        _layers = calls.Select(n => n.Layer).ToArray();
        _argSlots = new int[calls.Count][];
        _resultSlots = new int[calls.Count][];
        for (int c = 0; c < calls.Count; c++)
        {
            _argSlots[c] = Slots(calls[c].Inputs);
            _resultSlots[c] = Slots(calls[c].Outputs);
        }
        _outputSlots = Slots(outputs);
        _slotCount = slots.Count;
        _fusions = new InferenceFusion?[_layers.Length];
        for (int c = 0; c < _layers.Length; c++)
            _fusions[c] = InferenceFusion.At(c, _layers, _argSlots, _resultSlots, _outputSlots);
        _trainingFusions = new TrainingFusion?[_layers.Length];
        for (int c = 0; c < _layers.Length; c++)
            _trainingFusions[c] = TrainingFusion.At(c, _layers, _argSlots, _resultSlots, _outputSlots);
    }

    /// <summary>Whether inference may fuse [Conv/Dense, BatchNormalization, activation] runs and training
    /// [BatchNormalization, LeakyReLU] pairs (tests compare with off).</summary>
    [ThreadStatic] internal static bool FusionDisabled;

    /// <summary>Fused runs computed on this thread (tests check that a fusion took place).</summary>
    [ThreadStatic] internal static int FusedRuns;

    /// <summary>Fused training pairs computed on this thread (tests check that a fusion took place).</summary>
    [ThreadStatic] internal static int TrainingFusedRuns;

    /// <summary>Calls every layer in order on the inputs and returns the outputs.</summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs, bool training)
    {
        RunArrays? arrays = null;
        for (int i = 0; i < _free.Length && arrays is null; i++) arrays = Interlocked.Exchange(ref _free[i], null);
        arrays ??= new RunArrays(_slotCount, _argSlots);
        var values = arrays.Values;
        var args = arrays.Args;
        // Keras's _keras_mask: each value's mask (null for most), the first argument's going to the layer.
        var masks = arrays.Masks;
        try
        {
            for (int i = 0; i < _inputSlots.Length; i++) values[_inputSlots[i]] = inputs[i];
            bool fuse = !training && !GradMode.IsEnabled && !FusionDisabled;
            bool fuseTraining = training && !FusionDisabled;
            for (int c = 0; c < _layers.Length; c++)
            {
                var slotsOfArgs = _argSlots[c];
                var a = args[c];
                for (int j = 0; j < a.Length; j++) a[j] = values[slotsOfArgs[j]];
                var layer = _layers[c];
                var results = _resultSlots[c];
                Tensor? mask = slotsOfArgs.Length > 0 ? masks[slotsOfArgs[0]] : null;
                if (fuse && _fusions[c] is { } fusion && fusion.Applies(a, mask))
                {
                    // The next two calls' results are used by nothing else: the third's is all that is kept.
                    values[_resultSlots[c + 2][0]] = fusion.Run(a[0]);
                    FusedRuns++;
                    Array.Clear(a);
                    c += 2;
                    continue;
                }
                if (fuseTraining && _trainingFusions[c] is { } pair && pair.Applies(a, mask))
                {
                    // The normalization's result is used by the activation alone: only the activation's is kept.
                    values[_resultSlots[c + 1][0]] = pair.Run(a[0]);
                    TrainingFusedRuns++;
                    Array.Clear(a);
                    c += 1;
                    continue;
                }
                if (results.Length == 1) values[results[0]] = layer.InvokeFirst(a, training, mask);
                else
                {
                    var outs = layer.Invoke(a, training, mask);
                    for (int j = 0; j < results.Length; j++) values[results[j]] = outs[j];
                }
                masks[results[0]] = layer.ComputeMask(a, mask);
                Array.Clear(a);
            }
            var result = new Tensor[_outputSlots.Length];
            for (int i = 0; i < result.Length; i++) result[i] = values[_outputSlots[i]];
            return result;
        }
        finally
        {
            // Nothing is kept alive past the run; the arrays go back for the next one.
            Array.Clear(values);
            Array.Clear(masks);
            foreach (var a in args) Array.Clear(a);
            for (int i = 0; i < _free.Length; i++)
                if (Interlocked.CompareExchange(ref _free[i], arrays, null) is null) break;
        }
    }

    /// <summary>Whether call <paramref name="c"/>'s single result is the single argument of call c + 1 and of nothing
    /// else, and not a model output (the condition for running the two calls fused).</summary>
    internal static bool FeedsOnlyTheNext(int c, int[][] argSlots, int[][] resultSlots, int[] outputSlots)
    {
        if (resultSlots[c].Length != 1 || argSlots[c + 1].Length != 1 || argSlots[c + 1][0] != resultSlots[c][0]) return false;
        int slot = resultSlots[c][0];
        if (outputSlots.Contains(slot)) return false;
        for (int other = 0; other < argSlots.Length; other++)
            if (other != c + 1 && argSlots[other].Contains(slot)) return false;
        return true;
    }
}
