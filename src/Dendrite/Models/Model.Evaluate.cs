using Dendrite.Autodiff;
using Dendrite.Callbacks;
using Dendrite.Metrics;
using Dendrite.Training;

namespace Dendrite.Models;

public partial class Model
{
    /// <summary>
    /// Loss and metrics on a data set: <c>[loss, metric1, ...]</c> in Compile's order. <paramref name="cancellationToken"/>
    /// is checked before every batch (an already-cancelled token throws before anything runs).
    /// </summary>
    public float[] Evaluate(Tensor x, Tensor y, int batchSize = 32, int verbose = 1, Tensor? sampleWeight = null, IEnumerable<Callback>? callbacks = null,
        CancellationToken cancellationToken = default) =>
        Evaluate([x], [y], batchSize, verbose, sampleWeight, callbacks, cancellationToken);

    /// <summary>Loss and metrics for a model with several inputs and/or outputs.</summary>
    public float[] Evaluate(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize = 32, int verbose = 1, Tensor? sampleWeight = null, IEnumerable<Callback>? callbacks = null,
        CancellationToken cancellationToken = default)
    {
        var d = EvaluateToDictionary(x, y, batchSize, verbose, sampleWeight, callbacks, cancellationToken);
        return LossAndMetrics(d);
    }

    /// <summary><c>[loss, metric1, ...]</c> from logs by name, in Compile's order (a loop: LINQ over floats is a
    /// generic instantiation the ReadyToRun image does not hold, jitted at the first call).</summary>
    private float[] LossAndMetrics(Dictionary<string, float> logs)
    {
        var values = new float[1 + _metrics.Count];
        values[0] = logs["loss"];
        for (int i = 0; i < _metrics.Count; i++) values[i + 1] = logs[_metrics[i].Name];
        return values;
    }

    /// <summary>Loss and metrics by name: {"loss": ..., "accuracy": ...}.</summary>
    public Dictionary<string, float> EvaluateToDictionary(Tensor x, Tensor y, int batchSize = 32, int verbose = 1, Tensor? sampleWeight = null, IEnumerable<Callback>? callbacks = null,
        CancellationToken cancellationToken = default) =>
        EvaluateToDictionary([x], [y], batchSize, verbose, sampleWeight, callbacks, cancellationToken);

    /// <summary>Loss and metrics by name for several inputs and/or outputs.</summary>
    public Dictionary<string, float> EvaluateToDictionary(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize = 32, int verbose = 1, Tensor? sampleWeight = null, IEnumerable<Callback>? callbacks = null,
        CancellationToken cancellationToken = default)
    {
        RequireCompiled("Evaluate");
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(y);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batchSize must be positive, got {batchSize}.");
        var data = new DataSet(x, y, sampleWeight, "Evaluate");
        data.CheckFinite("Evaluate");
        PrepareFor(data);
        CheckNotEmpty(data, "Evaluate");
        CheckSparseLabels(data, "Evaluate");
        var list = callbacks?.ToList() ?? [];
        foreach (var c in list) c.Model = this;
        var bar = verbose != 0 ? new Progbar(StepCount(data.Count, batchSize), verbose) : null;
        return EvaluateCore(data, batchSize, list, bar, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Loss and metrics over the data. Each call accumulates into its own copies of the metrics, so that evaluations
    /// may run at the same time on one model; a metric that cannot be copied makes them take turns instead.
    /// </summary>
    private Dictionary<string, float> EvaluateCore(DataSet data, int batchSize, List<Callback>? callbacks, Progbar? bar = null, ReplicaSync? sync = null,
        CancellationToken cancellationToken = default)
    {
        return WithOwnMetrics(metrics => EvaluateCore(data, batchSize, callbacks, bar, metrics, sync, cancellationToken));
    }

    /// <summary>
    /// Runs an evaluation on this call's own empty copies of the metrics; when a metric cannot be copied, on the model's
    /// metrics themselves, one evaluation at a time.
    /// </summary>
    private T WithOwnMetrics<T>(Func<List<Metric>, T> evaluate)
    {
        var fresh = new List<Metric>(_metrics.Count);
        foreach (var m in _metrics)
            if (m.CloneEmpty() is { } copy) fresh.Add(copy);
            else
            {
                lock (_metricsLock) return evaluate(_metrics);
            }
        return evaluate(fresh);
    }

    private readonly Lock _metricsLock = new();

    private Dictionary<string, float> EvaluateCore(DataSet data, int batchSize, List<Callback>? callbacks, Progbar? bar, List<Metric> metrics,
        ReplicaSync? sync, CancellationToken cancellationToken)
    {
        var empty = new Dictionary<string, float>();
        var lossTracker = new Mean("loss");
        foreach (var m in metrics) m.ResetState();
        int steps = StepCount(data.Count, batchSize);
        callbacks?.ForEach(c => c.OnTestBegin(empty));
        Dictionary<string, float> logs = Logs(lossTracker, metrics);
        for (int step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            callbacks?.ForEach(c => c.OnTestBatchBegin(step, empty));
            int start = step * batchSize, count = Math.Min(batchSize, data.Count - start);
            EvaluateBatch(data, (start, count), lossTracker, metrics);
            logs = Logs(lossTracker, metrics);
            callbacks?.ForEach(c => c.OnTestBatchEnd(step, logs));
            bar?.Update(step + 1, ProgbarLogger.Ordered(logs));
        }
        // Data-parallel validation: each rank evaluated its share; the logs are over every rank's samples.
        if (sync is not null) logs = sync.ReduceLogs([], lossTracker, metrics);
        callbacks?.ForEach(c => c.OnTestEnd(logs));
        return logs;
    }

    /// <summary>
    /// Adds one batch's loss (weighted by its rows) and metric updates to the running state, without autodiff: rows
    /// [start, start + count) of <paramref name="data"/> (copied inside the step's scope), or all of it when null.
    /// </summary>
    private void EvaluateBatch(DataSet data, (int Start, int Count)? rows, Mean lossTracker, List<Metric> metrics)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var batch = rows is { } range ? data.Batch(range.Start, range.Count) : data;
        var outputs = rows is null ? Run(batch.X, training: false) : RunInference(batch.X, 0, batch.Count);
        var loss = TotalLoss(batch.Y!, outputs, batch.SampleWeight);
        foreach (var r in RegularizationLosses()) loss = Ops.Add(loss, r);
        lossTracker.Add(loss.Item(), batch.Count);
        foreach (var m in metrics) m.UpdateState(batch.Y![0], outputs[0], batch.SampleWeight);
    }

    private static Dictionary<string, float> Logs(Mean lossTracker, List<Metric> metrics)
    {
        var logs = new Dictionary<string, float> { ["loss"] = lossTracker.Result() };
        foreach (var m in metrics) logs[m.Name] = m.Result();
        return logs;
    }

    /// <summary>
    /// Model outputs for the inputs, in batches, without autodiff bookkeeping (single-output models).
    /// <paramref name="cancellationToken"/> is checked before every batch (an already-cancelled token throws before anything runs).
    /// </summary>
    public Tensor Predict(Tensor x, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null, CancellationToken cancellationToken = default) =>
        PredictOutputs([x], batchSize, verbose, callbacks, cancellationToken)[0];

    /// <summary>Every output of the model for the inputs, in batches; the token is checked before every batch.</summary>
    public IReadOnlyList<Tensor> PredictOutputs(IReadOnlyList<Tensor> x, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batchSize must be positive, got {batchSize}.");
        var data = new DataSet(x, null, null, "Predict");
        PrepareFor(data);
        var list = callbacks?.ToList() ?? [];
        foreach (var c in list) c.Model = this;
        var empty = new Dictionary<string, float>();
        list.ForEach(c => c.OnPredictBegin(empty));
        int steps = StepCount(data.Count, batchSize);
        var bar = verbose != 0 ? new Progbar(steps, verbose) : null;
        // Every row is written (CopyRows): the pages are mapped in one call rather than faulted in one by one (FreshPages).
        var results = Outputs.Select(o => Tensor.Persistent([data.Count, .. o.Shape.ToArray()])).ToList();
        PredictBatches(data, batchSize, results, list, bar, cancellationToken);
        // Scanning every input before predicting costs as much as a layer; a non-finite output is the cheap sign that
        // the inputs may hold NaN or infinity, and then the scan names the sample (it returns when the inputs are finite).
        if (results.Any(r => !DataSet.AllFinite(r))) data.CheckFinite("Predict");
        list.ForEach(c => c.OnPredictEnd(empty));
        return results;
    }

    private void PredictBatches(DataSet data, int batchSize, List<Tensor> results, List<Callback> list, Progbar? bar,
        CancellationToken cancellationToken)
    {
        // Nobody to tell about each batch: the call's rows in lanes across batch boundaries, straight into the results.
        if (list.Count == 0 && bar is null && PredictInLanes(data.X, data.Offset, data.Count, batchSize, results, cancellationToken)) return;
        var empty = new Dictionary<string, float>();
        int steps = StepCount(data.Count, batchSize);
        for (int step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            list.ForEach(c => c.OnPredictBatchBegin(step, empty));
            int start = step * batchSize, count = Math.Min(batchSize, data.Count - start);
            using (TensorScope.Begin())
            using (GradMode.NoGrad())
            {
                var outputs = RunInference(data.X, data.Offset + start, count);
                for (int o = 0; o < outputs.Count; o++) CopyRows(outputs[o], results[o], start, data.Count);
            }
            list.ForEach(c => c.OnPredictBatchEnd(step, empty));
            bar?.Update(step + 1, []);
        }
    }

    /// <summary>Copies a batch's output into rows start.. of the result for all samples.</summary>
    internal static void CopyRows(Tensor batch, Tensor result, int start, int total)
    {
        int width = result.Size / Math.Max(1, total);
        batch.AsSpan().CopyTo(result.AsSpan().Slice(start * width, batch.Size));
    }

    /// <summary>One optimizer step on one batch; returns [loss, metrics...] for that batch alone.</summary>
    public float[] TrainOnBatch(Tensor x, Tensor y, Tensor? sampleWeight = null, IReadOnlyDictionary<int, double>? classWeight = null)
    {
        RequireCompiled("TrainOnBatch");
        var data = new DataSet([x], [y], sampleWeight, "TrainOnBatch");
        data.CheckFinite("TrainOnBatch");
        PrepareFor(data);
        CheckNotEmpty(data, "TrainOnBatch");
        CheckClassWeights(classWeight, "TrainOnBatch");
        CheckSparseLabels(data, "TrainOnBatch");
        var lossTracker = new Mean("loss");
        foreach (var m in _metrics) m.ResetState();
        ResetStepState();
        TrainStep(data, CombineWeights(data, classWeight), DataSet.Rows(0, data.Count), lossTracker);
        var logs = CurrentLogs(lossTracker);
        return LossAndMetrics(logs);
    }

    /// <summary>The model's output for one batch.</summary>
    public Tensor PredictOnBatch(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Predict(x, batchSize: Math.Max(1, x.Rank == 0 ? 1 : x.Shape[0]), verbose: 0);
    }
}
