using Dendrite.Autodiff;
using Dendrite.Callbacks;
using Dendrite.Layers;
using Dendrite.Metrics;
using Dendrite.Training;

namespace Dendrite.Models;

public partial class Model
{
    /// <summary>
    /// Trains the model: <c>model.Fit(x, y, batchSize: 32, epochs: 10, validationSplit: 0.1)</c>. Keras semantics:
    /// validationSplit takes the last samples before shuffling, shuffle reorders every epoch, classWeight scales each
    /// sample's loss by its class, verbose 0/1/2 (silent, progress bar, one line per epoch). With
    /// <paramref name="distributed"/> (e.g. <c>DataParallel.Init()</c> of Dendrite.Distributed under <c>mpirun</c>) every
    /// rank trains a replica on its share of each global batch of <c>batchSize * ranks</c> samples, with gradients and
    /// logs averaged over the ranks; only rank 0 prints and writes.
    /// </summary>
    public History Fit(Tensor x, Tensor y, int batchSize = 32, int epochs = 1, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0, (Tensor X, Tensor Y)? validationData = null,
        bool shuffle = true, IReadOnlyDictionary<int, double>? classWeight = null, Tensor? sampleWeight = null,
        int initialEpoch = 0, CancellationToken cancellationToken = default, IDataParallel? distributed = null) =>
        Fit([x], [y], batchSize, epochs, verbose, callbacks, validationSplit,
            validationData is { } v ? ([v.X], [v.Y]) : null, shuffle, classWeight, sampleWeight, initialEpoch, cancellationToken, distributed);

    /// <summary>Trains a model with several inputs and/or outputs (one array per input and per output).</summary>
    public History Fit(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize = 32, int epochs = 1, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0,
        (IReadOnlyList<Tensor> X, IReadOnlyList<Tensor> Y)? validationData = null,
        bool shuffle = true, IReadOnlyDictionary<int, double>? classWeight = null, Tensor? sampleWeight = null,
        int initialEpoch = 0, CancellationToken cancellationToken = default, IDataParallel? distributed = null)
    {
        if (distributed is not { Size: > 1 })
            return FitCore(x, y, batchSize, epochs, verbose, callbacks, validationSplit, validationData, shuffle, classWeight,
                sampleWeight, initialEpoch, cancellationToken, null);
        // A rank that fails must stop the job: the others would wait for it in the next collective forever.
        try
        {
            return FitCore(x, y, batchSize, epochs, verbose, callbacks, validationSplit, validationData, shuffle, classWeight,
                sampleWeight, initialEpoch, cancellationToken, distributed);
        }
        catch (Exception e)
        {
            distributed.Abort($"Dendrite: rank {distributed.Rank} of {distributed.Size} failed in Fit: {e.GetType().Name}: {e.Message}");
            throw;   // not reached: Abort ends the process
        }
    }

    private History FitCore(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize, int epochs, int verbose,
        IEnumerable<Callback>? callbacks, double validationSplit, (IReadOnlyList<Tensor> X, IReadOnlyList<Tensor> Y)? validationData,
        bool shuffle, IReadOnlyDictionary<int, double>? classWeight, Tensor? sampleWeight, int initialEpoch,
        CancellationToken cancellationToken, IDataParallel? distributed)
    {
        RequireCompiled("Fit");
        cancellationToken.ThrowIfCancellationRequested();   // before anything changes: no build, no callback, no file
        ArgumentNullException.ThrowIfNull(y);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batchSize must be positive, got {batchSize}.");
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), $"epochs must be non-negative, got {epochs}.");
        if (validationSplit < 0 || validationSplit >= 1) throw new ArgumentOutOfRangeException(nameof(validationSplit), $"validationSplit must be in [0, 1), got {validationSplit}.");
        var all = new DataSet(x, y, sampleWeight, "Fit");
        all.CheckFinite("Fit");
        PrepareFor(all);
        if (y.Count != Outputs.Count) throw new ArgumentException($"Fit: model '{Name}' has {Outputs.Count} output(s) but {y.Count} target array(s) were given.");

        DataSet train = all;
        DataSet? validation = null;
        if (validationData is { } vd)
        {
            validation = new DataSet(vd.X, vd.Y, null, "Fit (validationData)");
            validation.CheckFinite("Fit (validationData)");
            PrepareFor(validation);   // the same rank adjustment and shape check as x
        }
        else if (validationSplit > 0)
        {
            int splitAt = (int)Math.Floor(all.Count * (1 - validationSplit));
            if (splitAt == 0 || splitAt == all.Count)
                throw new ArgumentException($"Fit: validationSplit {validationSplit} of {all.Count} samples leaves no training or no validation samples.");
            train = all.Range(0, splitAt);
            validation = all.Range(splitAt, all.Count - splitAt);
        }
        CheckNotEmpty(train, "Fit");
        CheckClassWeights(classWeight, "Fit");
        CheckSparseLabels(all, "Fit");
        if (validationData is not null) CheckSparseLabels(validation!, "Fit (validationData)");
        var weights = CombineWeights(train, classWeight);

        // With several ranks a step takes batchSize rows on each, so a global batch of batchSize * ranks rows.
        int ranks = distributed?.Size ?? 1, rank = distributed?.Rank ?? 0;
        if (train.Count < ranks)
            throw new ArgumentException($"Fit: {train.Count} training samples cannot be shared by {ranks} ranks; each rank needs at least one.");
        int globalBatch = (int)Math.Min((long)batchSize * ranks, int.MaxValue);
        int steps = StepCount(train.Count, globalBatch);
        var history = new History();
        var list = new List<Callback>();
        if (verbose != 0) list.Add(new ProgbarLogger());
        if (callbacks is not null) list.AddRange(callbacks);
        list.Add(history);
        list = CallbacksForRank(list, rank);
        foreach (var c in list) { c.Model = this; c.Parameters = new TrainingParameters(epochs, steps, verbose, rank, ranks); }

        var empty = new Dictionary<string, float>();
        ResetStepState();
        using var sync = distributed is null ? null : new ReplicaSync(distributed, this);
        sync?.BroadcastInitialState();
        if (sync is not null && validation is not null && validation.Count >= ranks)
            validation = validation.Range(validation.Count * rank / ranks, validation.Count * (rank + 1) / ranks - validation.Count * rank / ranks);
        var shard = sync is null ? null : new int[Math.Min(batchSize, train.Count)];
        StopTraining = false;
        // Fit's own source, linked to the caller's token, so that a callback (StopOnInterrupt) can cancel the run too.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cancel.Token;
        _fitCancel = cancel;
        try
        {
            TrainingStatus = TrainingStatus.Running;
            foreach (var c in list) c.OnTrainBegin(empty);
            bool cancelled = false;
            try
            {
                BuildTrainingState();
                try
                {
                    TrainEpochs(train, validation, weights, sync, shard, train.Offsets(), list, epochs, initialEpoch,
                        batchSize, globalBatch, steps, shuffle, rank, token);
                }
                finally { _batchAhead.Release(); }   // a batch gathered ahead for a step that did not come, and the data's references
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                cancelled = true;
            }
            TrainingStatus = cancelled ? TrainingStatus.Cancelled : StopTraining ? TrainingStatus.Stopped : TrainingStatus.Completed;
            var finalLogs = history.Keys.ToDictionary(k => k, k => history[k][^1]);
            foreach (var c in list) c.OnTrainEnd(finalLogs);
            if (cancelled)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new OperationCanceledException($"Fit of model '{Name}' was interrupted; the epoch in progress was not completed.", token);
            }
            return history;
        }
        finally
        {
            _fitCancel = null;
        }
    }

    /// <summary>
    /// The epochs of a Fit, between OnTrainBegin and OnTrainEnd. The token is checked before every training step, between
    /// validation batches and before OnEpochEnd, so an epoch that was cancelled never reaches OnEpochEnd (no checkpoint).
    /// </summary>
    private void TrainEpochs(DataSet train, DataSet? validation, Tensor? weights, ReplicaSync? sync, int[]? shard, int[] order, List<Callback> list, int epochs, int initialEpoch,
        int batchSize, int globalBatch, int steps, bool shuffle, int rank, CancellationToken cancellationToken)
    {
        var empty = new Dictionary<string, float>();
        var lossTracker = new Mean("loss");
        for (int epoch = initialEpoch; epoch < epochs && !StopTraining; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var c in list) c.OnEpochBegin(epoch, empty);
            if (shuffle)
            {
                // Rank 0 shuffles as a single process would and every rank takes its order.
                if (rank == 0) RandomState.Global.Shuffle(order.AsSpan());
                sync?.BroadcastOrder(order);
            }
            lossTracker.ResetState();
            foreach (var m in _metrics) m.ResetState();
            // One dictionary for the batch logs of the epoch, updated in place (no allocation per step).
            var batchLogs = new Dictionary<string, float>();
            for (int step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var c in list) c.OnTrainBatchBegin(step, empty);
                int start = step * globalBatch, count = Math.Min(globalBatch, train.Count - start);
                ReadOnlySpan<int> rows = order.AsSpan(start, count);
                if (sync is not null)
                {
                    int local = sync.Shard(rows, shard!);
                    rows = shard.AsSpan(0, local);
                    sync.BeginStep(local, count);
                }
                if (rows.Length == 0) sync!.StepWithoutRows();
                else
                {
                    // The next step's rows, gathered ahead by an idle worker (one process; a full batch like this one).
                    int nextStart = start + globalBatch;
                    var next = sync is null && step + 1 < steps && train.Count - nextStart >= count ? order.AsSpan(nextStart, count) : default;
                    TrainStep(train, weights, rows, lossTracker, sync?.BeforeApply, sync?.GradientReady, next);
                }
                if (sync is not null) sync.ReduceLogs(batchLogs, lossTracker, _metrics);
                else UpdateLogs(batchLogs, lossTracker);
                foreach (var c in list) c.OnTrainBatchEnd(step, batchLogs);
                if (sync is not null) StopTraining = sync.AgreeOnStop(StopTraining);
                if (StopTraining) break;
            }
            var logs = new Dictionary<string, float>(batchLogs);
            if (validation is not null)
                foreach (var (k, v) in EvaluateCore(validation, batchSize, null, sync: sync, cancellationToken: cancellationToken)) logs["val_" + k] = v;
            cancellationToken.ThrowIfCancellationRequested();   // a cancelled epoch has no OnEpochEnd: no checkpoint, no CSV row
            foreach (var c in list) c.OnEpochEnd(epoch, logs);
            if (sync is not null) StopTraining = sync.AgreeOnStop(StopTraining);
        }
    }

    /// <summary>Per-sample weights from sampleWeight times classWeight of each sample's class (null when neither is given).</summary>
    private static Tensor? CombineWeights(DataSet data, IReadOnlyDictionary<int, double>? classWeight)
    {
        if (classWeight is null) return data.SampleWeight;
        // Indexed as the arrays are (a view's rows are Offset..), so the weights take the same row indices as x.
        var y = data.Y![0];
        int rows = y.Shape[0];
        int width = y.Size / Math.Max(1, rows);
        var w = new float[rows];
        var ys = y.AsSpan();
        for (int i = data.Offset; i < data.Offset + data.Count; i++)
        {
            var row = ys.Slice(i * width, width);
            int cls = width == 1 ? (int)MathF.Round(row[0]) : Metric.ArgMax(row);
            w[i] = (float)(classWeight.TryGetValue(cls, out double cw) ? cw : 1.0) * (data.SampleWeight?.AsSpan()[i] ?? 1f);
        }
        return Tensor.FromArray(w);
    }

    private Dictionary<string, float> CurrentLogs(Mean lossTracker) => UpdateLogs([], lossTracker);

    private Dictionary<string, float> UpdateLogs(Dictionary<string, float> logs, Mean lossTracker)
    {
        logs["loss"] = lossTracker.Result();
        foreach (var m in _metrics) logs[m.Name] = m.Result();
        return logs;
    }

    /// <summary>One optimizer step on the given rows; everything it allocates goes back to the pool at the end.</summary>
    private void TrainStep(DataSet data, Tensor? weights, ReadOnlySpan<int> rows, Mean lossTracker, Action? beforeApply = null,
        Action<Tensor>? gradientReady = null, ReadOnlySpan<int> nextRows = default)
    {
        using var scope = TensorScope.Begin();
        var xb = _batchAhead.Take(data.X, rows) ?? _stepX.Gathered(data.X, rows);
        if (!nextRows.IsEmpty) _batchAhead.Post(data.X, nextRows);
        var yb = _stepY.Gathered(data.Y!, rows);
        var wb = weights is null ? null : StepRows.Gather(weights, rows);
        var state = StepStateFor();
        var trainable = state.Trainable;
        for (int i = 0; i < trainable.Count; i++) trainable[i].GradIsStale = trainable[i].Grad is not null;   // overwritten by this step's backward pass
        var activity = LossCollector.Begin();
        Tensor total;
        IReadOnlyList<Tensor> outputs;
        try
        {
            outputs = Run(xb, training: true);
            total = TotalLoss(yb, outputs, wb);
            foreach (var a in activity) total = Ops.Add(total, a);
        }
        finally { LossCollector.End(); }
        if (state.Regularized)
        {
            var penalties = _stepPenalties;
            penalties.Clear();
            AddRegularizationLosses(penalties);
            foreach (var r in penalties) total = Ops.Add(total, r);
            penalties.Clear();
        }
        float lossValue = total.Item();
        if (total.RequiresGrad)
        {
            // Plain SGD on one process: the ops may apply the step inside their weight-gradient products (Tensor.FusedSgdRate).
            float fused = beforeApply is null && gradientReady is null ? Optimizer!.FusedStepRate() : 0f;
            if (fused > 0f)
                for (int i = 0; i < trainable.Count; i++) trainable[i].FusedSgdRate = fused;
            BackwardEngine.LeafReady = gradientReady;     // data-parallel: each weight's bucket may be reduced as soon as it is final
            BackwardEngine.CountFusedUses = fused > 0f;
            try { total.Backward(); }
            finally
            {
                BackwardEngine.LeafReady = null;
                BackwardEngine.CountFusedUses = false;
                if (fused > 0f)
                    for (int i = 0; i < trainable.Count; i++) trainable[i].FusedSgdRate = 0f;
            }
            beforeApply?.Invoke();
            Optimizer!.Apply(trainable);
        }
        lossTracker.Add(lossValue, rows.Length);
        using (GradMode.NoGrad())
            foreach (var m in _metrics) m.UpdateState(yb[0], outputs[0], wb);
    }

    /// <summary>
    /// Before the first step: the trainable weights' gradient buffers and the optimizer's slots (Keras's <c>fit</c> builds
    /// its optimizer here too), created ahead of their first use so that an idle worker maps their pages while the step
    /// begins (<see cref="Backends.Cpu.FreshPages.MapSoon"/>); on a virtual machine a fresh page costs ~12 us at its first
    /// write, 2.5-3.5 ms of W2's first step for these buffers alone. A later Fit finds them all and creates nothing.
    /// Plain SGD applies its step inside the weight-gradient products, and most weights then never get a gradient
    /// buffer: none is created ahead for it.
    /// </summary>
    private void BuildTrainingState()
    {
        var trainable = StepStateFor().Trainable;
        if (Optimizer!.FusedStepRate() <= 0f)
            for (int i = trainable.Count - 1; i >= 0; i--)   // the backward pass reaches the last layers' gradients first
            {
                var w = trainable[i];
                if (w.Grad is not null) continue;
                w.Grad = Tensor.PersistentMappedSoon(w.Shape, [w.Data]);   // its start apart from the weight's (4K aliasing)
                w.GradIsStale = true;
            }
        Optimizer.Build(trainable);
    }

    private readonly List<Tensor> _stepPenalties = [];

    private Tensor TotalLoss(IReadOnlyList<Tensor> y, IReadOnlyList<Tensor> outputs, Tensor? sampleWeight)
    {
        Tensor? total = null;
        for (int i = 0; i < outputs.Count; i++)
        {
            var l = Loss!.Call(y[i], outputs[i], sampleWeight);
            total = total is null ? l : Ops.Add(total, l);
        }
        return total!;
    }
}
