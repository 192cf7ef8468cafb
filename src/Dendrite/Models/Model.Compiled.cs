using System.Collections.Concurrent;
using Dendrite.Autodiff;
using Dendrite.Losses;
using Dendrite.Metrics;
using Dendrite.Training;
using Dendrite.Training.Compiled;

namespace Dendrite.Models;

public partial class Model
{
    private CompiledStep? _lastPredictStep;
    private readonly ConcurrentBag<CompiledStep> _predictPlans = [];
    private int _planVersion;
    private volatile int _predictSupport;   // 0: not tried yet, 1: compiled, -1: not covered

    /// <summary>
    /// Whether Predict may run the compiled step (<see cref="CompiledStep"/>) when the model is a chain it covers; when
    /// false it goes through the autodiff tape (tests compare the two). Training always runs on the tape.
    /// </summary>
    internal bool CompiledStepsEnabled { get; set; } = true;

    /// <summary>True when the last Predict ran on the compiled step (false after any Fit: training runs on the tape).</summary>
    internal bool RanCompiled { get; private set; }

    /// <summary>The most lanes (row ranges run at the same time) a batch of the last compiled Predict was split into.</summary>
    internal int PredictLanes => _lastPredictStep?.MostLanes ?? 1;

    /// <summary>
    /// A compiled forward pass for this call alone (from the pool, or a new one), or null when the model is not covered.
    /// Give it back with <see cref="ReturnPredictStep"/> and the <paramref name="version"/> it came with.
    /// </summary>
    private CompiledStep? RentPredictStep(DataSet data, out int version)
    {
        version = Volatile.Read(ref _planVersion);
        if (!CompiledStepsEnabled || data.X.Count != 1 || _predictSupport < 0) return null;
        if (!_predictPlans.TryTake(out var step))
        {
            step = CompiledStep.TryCreate(this, null, null);
            _predictSupport = step is null ? -1 : 1;
        }
        if (step is not null) _lastPredictStep = step;
        return step;
    }

    /// <summary>Puts a plan back for the next call, unless the graph changed since it was rented.</summary>
    private void ReturnPredictStep(CompiledStep step, int version)
    {
        if (version == Volatile.Read(ref _planVersion)) _predictPlans.Add(step);
    }

    /// <summary>Drops the compiled steps (the graph or the loss changed).</summary>
    private void InvalidateCompiledSteps()
    {
        _lastPredictStep = null;
        Interlocked.Increment(ref _planVersion);
        _predictPlans.Clear();
        _predictSupport = 0;
    }

}
