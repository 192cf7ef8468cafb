using Dendrite.Autodiff;
using Dendrite.Losses;
using Dendrite.Metrics;
using Dendrite.Training;
using Dendrite.Training.Compiled;

namespace Dendrite.Models;

public partial class Model
{
    private CompiledStep? _trainStep, _predictStep;
    private bool _predictTried;
    private (Loss Loss, Shape Target)? _trainKey;

    /// <summary>
    /// Whether Fit and Predict may run the compiled step (<see cref="CompiledStep"/>) when the model is a chain it covers;
    /// when false they always go through the autodiff tape (tests compare the two).
    /// </summary>
    internal bool CompiledStepsEnabled { get; set; } = true;

    /// <summary>True when the last Fit or Predict ran on the compiled step.</summary>
    internal bool RanCompiled { get; private set; }

    /// <summary>The most lanes (row ranges run at the same time) a batch of the last compiled Predict was split into.</summary>
    internal int PredictLanes => _predictStep?.MostLanes ?? 1;

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

    /// <summary>The compiled forward pass, or null when the model is not covered.</summary>
    private CompiledStep? PredictStepFor(DataSet data)
    {
        if (!CompiledStepsEnabled || data.X.Count != 1) return null;
        if (!_predictTried) _predictStep = CompiledStep.TryCreate(this, null, null);
        _predictTried = true;
        return _predictStep;
    }

    /// <summary>Drops the compiled steps (the graph or the loss changed).</summary>
    private void InvalidateCompiledSteps()
    {
        _trainStep = _predictStep = null;
        _trainKey = null;
        _predictTried = false;
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
