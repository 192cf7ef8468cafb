using Dendrite.Callbacks;
using Dendrite.Metrics;
using Dendrite.Training;

namespace Dendrite.Models;

public partial class Model
{
    /// <summary>What Keras prints when a source with stepsPerEpoch runs out (Dendrite writes it to standard error and stops).</summary>
    internal const string RanOutOfData =
        "Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least " +
        "`stepsPerEpoch * epochs` batches.";

    /// <summary>
    /// Trains on a source of batches, for data that does not fit in memory (Keras's <c>model.fit(dataset, ...)</c>):
    /// each item is one batch <c>(X, Y)</c> of any number of rows. A background task reads <paramref name="prefetch"/>
    /// batches ahead (0: read each one on the training thread when needed), so that loading overlaps training.
    /// Without <paramref name="stepsPerEpoch"/> each epoch enumerates the source from the start; with it, the epochs take
    /// their batches from one enumeration in turn, and a source that runs out stops training after the epoch in
    /// progress, with Keras's warning on standard error. The step count shows in the progress bar when the source is a
    /// collection (see <see cref="Data.Batches"/>) or stepsPerEpoch is given, else the first epoch counts
    /// <c>7/Unknown</c>. Validation runs after each epoch on <paramref name="validationData"/> from its start
    /// (<paramref name="validationSteps"/> batches if given). Exceptions thrown by the source surface here as they were.
    /// </summary>
    public History Fit(IEnumerable<(Tensor X, Tensor Y)> batches, int epochs = 1, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, IEnumerable<(Tensor X, Tensor Y)>? validationData = null,
        int? stepsPerEpoch = null, int? validationSteps = null, int initialEpoch = 0, int prefetch = 2,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        CheckPrefetch(prefetch);
        return FitBatches(token => new BatchPrefetcher<(Tensor X, Tensor Y)>(batches, prefetch, token), stepsPerEpoch ?? KnownCount(batches),
            epochs, verbose, callbacks,
            validationData is null ? null : token => new BatchPrefetcher<(Tensor X, Tensor Y)>(validationData, prefetch, token),
            stepsPerEpoch, validationSteps, initialEpoch, cancellationToken);
    }

    /// <summary>
    /// Trains on an asynchronous source of batches (<c>await foreach</c> over files, a database, the network), read on a
    /// background task <paramref name="prefetch"/> batches ahead (at least 1); otherwise as
    /// <see cref="Fit(IEnumerable{ValueTuple{Tensor, Tensor}}, int, int, IEnumerable{Callback}?, IEnumerable{ValueTuple{Tensor, Tensor}}?, int?, int?, int, int, CancellationToken)"/>.
    /// The source's enumerator gets the cancellation token and is disposed before Fit returns.
    /// </summary>
    public History Fit(IAsyncEnumerable<(Tensor X, Tensor Y)> batches, int epochs = 1, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, IAsyncEnumerable<(Tensor X, Tensor Y)>? validationData = null,
        int? stepsPerEpoch = null, int? validationSteps = null, int initialEpoch = 0, int prefetch = 2,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        CheckPrefetch(prefetch);
        return FitBatches(token => new BatchPrefetcher<(Tensor X, Tensor Y)>(batches, prefetch, token), stepsPerEpoch,
            epochs, verbose, callbacks,
            validationData is null ? null : token => new BatchPrefetcher<(Tensor X, Tensor Y)>(validationData, prefetch, token),
            stepsPerEpoch, validationSteps, initialEpoch, cancellationToken);
    }

    private static void CheckPrefetch(int prefetch)
    {
        if (prefetch < 0) throw new ArgumentOutOfRangeException(nameof(prefetch), prefetch, $"prefetch must be 0 or more batches, got {prefetch}.");
    }

    private static int? KnownCount<T>(IEnumerable<T> source) => source switch
    {
        ICollection<T> c => c.Count,
        IReadOnlyCollection<T> c => c.Count,
        _ => null,
    };

    private History FitBatches(Func<CancellationToken, BatchPrefetcher<(Tensor X, Tensor Y)>> open, int? knownSteps, int epochs, int verbose,
        IEnumerable<Callback>? callbacks, Func<CancellationToken, BatchPrefetcher<(Tensor X, Tensor Y)>>? openValidation,
        int? stepsPerEpoch, int? validationSteps, int initialEpoch, CancellationToken cancellationToken)
    {
        RequireCompiled("Fit");
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"epochs must be non-negative, got {epochs}.");
        if (initialEpoch < 0) throw new ArgumentOutOfRangeException(nameof(initialEpoch), initialEpoch, $"initialEpoch must be non-negative, got {initialEpoch}.");
        if (stepsPerEpoch is <= 0) throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch, $"stepsPerEpoch must be positive, got {stepsPerEpoch}.");
        if (validationSteps is <= 0) throw new ArgumentOutOfRangeException(nameof(validationSteps), validationSteps, $"validationSteps must be positive, got {validationSteps}.");

        ResetStepState();
        var history = new History();
        var list = new List<Callback>();
        if (verbose != 0) list.Add(new ProgbarLogger());
        if (callbacks is not null) list.AddRange(callbacks);
        list.Add(history);
        foreach (var c in list) { c.Model = this; c.Parameters = new TrainingParameters(epochs, knownSteps is > 0 ? knownSteps.Value : 0, verbose); }

        var empty = new Dictionary<string, float>();
        BatchPrefetcher<(Tensor X, Tensor Y)>? reader = null;
        try
        {
            // The first batch is read before anything starts: an empty source is an argument error, as empty arrays are.
            (Tensor X, Tensor Y) next = default;
            int position = 0;   // batches taken from the current enumeration, for messages
            if (epochs > initialEpoch)
            {
                reader = open(cancellationToken);
                if (!reader.TryNext(out next))
                    throw new ArgumentException("Fit: the batch source yielded no batches; at least one is needed.", "batches");
            }
            StopTraining = false;
            foreach (var c in list) c.OnTrainBegin(empty);
            var lossTracker = new Mean("loss");
            var trainable = new PreparedStep();
            bool ranOut = false;
            for (int epoch = initialEpoch; epoch < epochs && !StopTraining; epoch++)
            {
                if (epoch > initialEpoch)
                {
                    // Keras: without stepsPerEpoch each epoch iterates the source anew; with it, the enumeration continues.
                    if (stepsPerEpoch is null)
                    {
                        reader!.Dispose();
                        reader = open(cancellationToken);
                        position = 0;
                    }
                    if (!reader!.TryNext(out next))
                    {
                        Warn(RanOutOfData);
                        break;
                    }
                }
                foreach (var c in list) c.OnEpochBegin(epoch, empty);
                lossTracker.ResetState();
                foreach (var m in _metrics) m.ResetState();
                var batchLogs = new Dictionary<string, float>();
                for (int step = 0; ; )
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    foreach (var c in list) c.OnTrainBatchBegin(step, empty);
                    var data = BatchData(next, "Fit", position);
                    TrainOnBatchData(data, trainable, lossTracker);
                    UpdateLogs(batchLogs, lossTracker);
                    foreach (var c in list) c.OnTrainBatchEnd(step, batchLogs);
                    step++;
                    position++;
                    if (StopTraining || step == stepsPerEpoch) break;
                    if (!reader!.TryNext(out next))
                    {
                        // Running out is how an epoch of unknown length ends; with stepsPerEpoch it interrupts training.
                        if (stepsPerEpoch is not null) { Warn(RanOutOfData); ranOut = true; }
                        break;
                    }
                }
                var logs = new Dictionary<string, float>(batchLogs);
                if (openValidation is not null)
                    foreach (var (k, v) in EvaluateBatchesCore(openValidation, validationSteps, null, null, "Fit (validationData)", cancellationToken))
                        logs["val_" + k] = v;
                foreach (var c in list) c.OnEpochEnd(epoch, logs);
                if (ranOut) break;
            }
        }
        finally
        {
            reader?.Dispose();
        }
        var finalLogs = history.Keys.ToDictionary(k => k, k => history[k][^1]);
        foreach (var c in list) c.OnTrainEnd(finalLogs);
        return history;
    }

    /// <summary>Keras's warnings go to standard error (Python's warnings module); so do Dendrite's.</summary>
    private static void Warn(string message) => Console.Error.WriteLine($"Warning: {message}");

    /// <summary>The row indices of a whole batch, reused from step to step.</summary>
    private sealed class PreparedStep
    {
        public int[] Rows = [];
    }

    /// <summary>
    /// One batch from a source, checked as Fit checks arrays (rows, finite values, shapes, sparse labels) and named in
    /// errors by its position in the source: <c>Fit (batch 3)</c>.
    /// </summary>
    private DataSet BatchData((Tensor X, Tensor Y) batch, string method, int position)
    {
        string what = $"{method} (batch {position})";
        if (batch.X is null) throw new ArgumentException($"{what}: X is null.", "batches");
        if (batch.Y is null) throw new ArgumentException($"{what}: Y is null.", "batches");
        var data = new DataSet([batch.X], [batch.Y], null, what);
        if (data.Count == 0) throw new ArgumentException($"{what}: the batch has 0 samples; every batch needs at least one.", "batches");
        data.CheckFinite(what);
        PrepareFor(data);
        if (Outputs.Count != 1) throw new ArgumentException($"{what}: model '{Name}' has {Outputs.Count} outputs; a batch source gives one target array per batch.", "batches");
        CheckSparseLabels(data, what, "this batch was not used");
        return data;
    }

    /// <summary>One optimizer step on all rows of a batch, on the general step (as Fit).</summary>
    private void TrainOnBatchData(DataSet data, PreparedStep prepared, Mean lossTracker)
    {
        int n = data.Count;
        if (prepared.Rows.Length != n)
        {
            prepared.Rows = new int[n];
            for (int i = 0; i < n; i++) prepared.Rows[i] = i;
        }
        TrainStep(data, null, prepared.Rows, lossTracker);
    }

    /// <summary>
    /// Loss and metrics over a batch source from its start (at most <paramref name="steps"/> batches), each batch
    /// weighted by its rows, with this call's own copies of the metrics (as array Evaluate does).
    /// </summary>
    private Dictionary<string, float> EvaluateBatchesCore(Func<CancellationToken, BatchPrefetcher<(Tensor X, Tensor Y)>> open, int? steps,
        List<Callback>? callbacks, Progbar? bar, string method, CancellationToken cancellationToken)
    {
        return WithOwnMetrics(metrics => EvaluateBatchesCore(open, steps, callbacks, bar, method, metrics, cancellationToken));
    }

    private Dictionary<string, float> EvaluateBatchesCore(Func<CancellationToken, BatchPrefetcher<(Tensor X, Tensor Y)>> open, int? steps,
        List<Callback>? callbacks, Progbar? bar, string method, List<Metric> metrics, CancellationToken cancellationToken)
    {
        var empty = new Dictionary<string, float>();
        var lossTracker = new Mean("loss");
        foreach (var m in metrics) m.ResetState();
        using var reader = open(cancellationToken);
        if (!reader.TryNext(out var batch))
            throw new ArgumentException($"{method}: the batch source yielded no batches; at least one is needed.", "batches");
        callbacks?.ForEach(c => c.OnTestBegin(empty));
        var logs = Logs(lossTracker, metrics);
        int step = 0;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            callbacks?.ForEach(c => c.OnTestBatchBegin(step, empty));
            EvaluateBatch(BatchData(batch, method, step), null, lossTracker, metrics);
            logs = Logs(lossTracker, metrics);
            callbacks?.ForEach(c => c.OnTestBatchEnd(step, logs));
            step++;
            bar?.Update(step, ProgbarLogger.Ordered(logs), finalize: false);
        }
        while (step != steps && reader.TryNext(out batch));
        if (bar is not null)
        {
            bar.Target ??= step;
            bar.Update(step, ProgbarLogger.Ordered(logs), finalize: true);
        }
        callbacks?.ForEach(c => c.OnTestEnd(logs));
        return logs;
    }
}
