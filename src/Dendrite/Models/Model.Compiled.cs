using System.Collections.Concurrent;
using Dendrite.Autodiff;
using Dendrite.Losses;
using Dendrite.Metrics;
using Dendrite.Training;
using Dendrite.Training.Compiled;

namespace Dendrite.Models;

public partial class Model
{
    private CompiledStep? _trainStep, _lastPredictStep;
    private readonly ConcurrentBag<CompiledStep> _predictPlans = [];
    private int _planVersion;
    private volatile int _predictSupport;   // 0: not tried yet, 1: compiled, -1: not covered
    private (Loss Loss, Shape Target)? _trainKey;

    /// <summary>
    /// Whether Fit and Predict may run the compiled step (<see cref="CompiledStep"/>) when the model is a chain it covers;
    /// when false they always go through the autodiff tape (tests compare the two).
    /// </summary>
    internal bool CompiledStepsEnabled { get; set; } = true;

    /// <summary>True when the last Fit or Predict ran on the compiled step.</summary>
    internal bool RanCompiled { get; private set; }

    /// <summary>The most lanes (row ranges run at the same time) a batch of the last compiled Predict was split into.</summary>
    internal int PredictLanes => _lastPredictStep?.MostLanes ?? 1;

    /// <summary>The compiled train step for this data, or null (tape) when the model, loss or data are not covered.</summary>
    private CompiledStep? TrainStepFor(DataSet data, Tensor? sampleWeights)
    {
        if (!CompiledStepsEnabled || sampleWeights is not null || data.X.Count != 1 || data.Y is not { Count: 1 } y || Loss is null) return null;
        var target = new Shape(y[0].Shape.ToArray()[1..]);
        if (_trainKey is { } key && ReferenceEquals(key.Loss, Loss) && key.Target == target) return _trainStep;
        _trainStep = CompiledStep.TryCreate(this, Loss, target);
        _trainKey = (Loss, target);
        return _trainStep;
    }

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
        _trainStep = _lastPredictStep = null;
        _trainKey = null;
        Interlocked.Increment(ref _planVersion);
        _predictPlans.Clear();
        _predictSupport = 0;
    }

    /// <summary>One optimizer step through the compiled step; metrics see the same targets and outputs as on the tape.</summary>
    private void CompiledTrainStep(CompiledStep step, DataSet data, ReadOnlySpan<int> rows, Mean lossTracker, Action? beforeApply = null,
        Action<Tensor>? gradientReady = null)
    {
        float loss = step.TrainStep(data.X[0], data.Y![0], rows, Optimizer!, beforeApply, gradientReady, out var targets, out var output);
        lossTracker.Add(loss, rows.Length);
        if (_metrics.Count == 0) return;
        using var scope = TensorScope.Begin();
        using (GradMode.NoGrad())
            foreach (var m in _metrics) m.UpdateState(targets, output, null);
    }
}
