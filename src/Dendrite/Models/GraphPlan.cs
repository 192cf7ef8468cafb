using Dendrite.Layers;

namespace Dendrite.Models;

/// <summary>
/// A model's graph laid out once for running: every value gets a slot, every layer call the slots of its arguments and
/// of its result, so a run walks arrays instead of a dictionary and allocates nothing per layer call. The slot and
/// argument arrays are reused by one run at a time; a concurrent or re-entrant run gets its own.
/// </summary>
internal sealed class GraphPlan
{
    private readonly Layer[] _layers;
    private readonly int[][] _argSlots;
    private readonly int[] _resultSlots;
    private readonly int[] _inputSlots, _outputSlots;
    private readonly int _slotCount;
    private Tensor[]? _freeValues;
    private Tensor[][]? _freeArgs;

    public GraphPlan(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs, IReadOnlyList<LayerNode> nodes)
    {
        var slots = new Dictionary<SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        int Slot(SymbolicTensor t)
        {
            if (!slots.TryGetValue(t, out int s)) slots[t] = s = slots.Count;
            return s;
        }
        _inputSlots = inputs.Select(Slot).ToArray();
        var calls = nodes.Where(n => n.Layer is not Input).ToList();
        _layers = calls.Select(n => n.Layer).ToArray();
        _argSlots = calls.Select(n => n.Inputs.Select(Slot).ToArray()).ToArray();
        _resultSlots = calls.Select(n => Slot(n.Output)).ToArray();
        _outputSlots = outputs.Select(Slot).ToArray();
        _slotCount = slots.Count;
    }

    /// <summary>Calls every layer in order on the inputs and returns the outputs.</summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs, bool training)
    {
        var values = Interlocked.Exchange(ref _freeValues, null) ?? new Tensor[_slotCount];
        var args = Interlocked.Exchange(ref _freeArgs, null) ?? _argSlots.Select(a => new Tensor[a.Length]).ToArray();
        try
        {
            for (int i = 0; i < _inputSlots.Length; i++) values[_inputSlots[i]] = inputs[i];
            for (int c = 0; c < _layers.Length; c++)
            {
                var slotsOfArgs = _argSlots[c];
                var a = args[c];
                for (int j = 0; j < a.Length; j++) a[j] = values[slotsOfArgs[j]];
                values[_resultSlots[c]] = _layers[c].Call(a, training);
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
            foreach (var a in args) Array.Clear(a);
            _freeValues = values;
            _freeArgs = args;
        }
    }
}
