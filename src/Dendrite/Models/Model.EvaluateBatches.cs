using Dendrite.Callbacks;
using Dendrite.Training;

namespace Dendrite.Models;

public partial class Model
{
    /// <summary>
    /// Loss and metrics over a source of batches <c>(X, Y)</c> (Keras's <c>model.evaluate(dataset, steps=...)</c>):
    /// <c>[loss, metric1, ...]</c> in Compile's order, each batch weighted by its rows. The source is read
    /// <paramref name="prefetch"/> batches ahead on a background task (0: on this thread), from its start, for at most
    /// <paramref name="steps"/> batches.
    /// </summary>
    public float[] Evaluate(IEnumerable<(Tensor X, Tensor Y)> batches, int verbose = 1, int? steps = null,
        IEnumerable<Callback>? callbacks = null, int prefetch = 2, CancellationToken cancellationToken = default)
    {
        var d = EvaluateToDictionary(batches, verbose, steps, callbacks, prefetch, cancellationToken);
        return LossAndMetrics(d);
    }

    /// <summary>Loss and metrics over an asynchronous source of batches, read on a background task; see the synchronous overload.</summary>
    public float[] Evaluate(IAsyncEnumerable<(Tensor X, Tensor Y)> batches, int verbose = 1, int? steps = null,
        IEnumerable<Callback>? callbacks = null, int prefetch = 2, CancellationToken cancellationToken = default)
    {
        var d = EvaluateToDictionary(batches, verbose, steps, callbacks, prefetch, cancellationToken);
        return LossAndMetrics(d);
    }

    /// <summary>Loss and metrics by name over a source of batches: {"loss": ..., "accuracy": ...}.</summary>
    public Dictionary<string, float> EvaluateToDictionary(IEnumerable<(Tensor X, Tensor Y)> batches, int verbose = 1, int? steps = null,
        IEnumerable<Callback>? callbacks = null, int prefetch = 2, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        CheckPrefetch(prefetch);
        return EvaluateBatches(token => new BatchPrefetcher<(Tensor X, Tensor Y)>(batches, prefetch, token), steps ?? KnownCount(batches),
            verbose, steps, callbacks, cancellationToken);
    }

    /// <summary>Loss and metrics by name over an asynchronous source of batches, read on a background task.</summary>
    public Dictionary<string, float> EvaluateToDictionary(IAsyncEnumerable<(Tensor X, Tensor Y)> batches, int verbose = 1, int? steps = null,
        IEnumerable<Callback>? callbacks = null, int prefetch = 2, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        CheckPrefetch(prefetch);
        return EvaluateBatches(token => new BatchPrefetcher<(Tensor X, Tensor Y)>(batches, prefetch, token), steps,
            verbose, steps, callbacks, cancellationToken);
    }

    private Dictionary<string, float> EvaluateBatches(Func<CancellationToken, BatchPrefetcher<(Tensor X, Tensor Y)>> open, int? knownSteps,
        int verbose, int? steps, IEnumerable<Callback>? callbacks, CancellationToken cancellationToken)
    {
        RequireCompiled("Evaluate");
        if (steps is <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps must be positive, got {steps}.");
        var list = callbacks?.ToList() ?? [];
        foreach (var c in list) c.Model = this;
        var bar = verbose != 0 ? new Progbar(knownSteps is > 0 ? knownSteps : null, verbose) : null;
        return EvaluateBatchesCore(open, steps, list, bar, "Evaluate", cancellationToken);
    }

    /// <summary>
    /// The model's output for a source of input batches (Keras's <c>model.predict(dataset)</c>), the batches' outputs
    /// joined in order along the batch axis. Each batch runs as <see cref="Predict(Tensor, int, int, IEnumerable{Callback}?, CancellationToken)"/>
    /// runs one; the source is read <paramref name="prefetch"/> batches ahead on a background task (0: on this thread),
    /// for at most <paramref name="steps"/> batches. For a source of <c>(X, Y)</c> pairs pass <c>batches.Select(b =&gt; b.X)</c>.
    /// </summary>
    public Tensor Predict(IEnumerable<Tensor> batches, int verbose = 1, int? steps = null, IEnumerable<Callback>? callbacks = null,
        int prefetch = 2, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        CheckPrefetch(prefetch);
        using var reader = new BatchPrefetcher<Tensor>(batches, prefetch, cancellationToken);
        return PredictBatches(reader, steps ?? KnownCount(batches), verbose, steps, callbacks, cancellationToken);
    }

    /// <summary>The model's output for an asynchronous source of input batches, read on a background task; see the synchronous overload.</summary>
    public Tensor Predict(IAsyncEnumerable<Tensor> batches, int verbose = 1, int? steps = null, IEnumerable<Callback>? callbacks = null,
        int prefetch = 2, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        CheckPrefetch(prefetch);
        using var reader = new BatchPrefetcher<Tensor>(batches, prefetch, cancellationToken);
        return PredictBatches(reader, steps, verbose, steps, callbacks, cancellationToken);
    }

    private Tensor PredictBatches(BatchPrefetcher<Tensor> reader, int? knownSteps, int verbose, int? steps, IEnumerable<Callback>? callbacks,
        CancellationToken cancellationToken)
    {
        if (steps is <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps must be positive, got {steps}.");
        var list = callbacks?.ToList() ?? [];
        foreach (var c in list) c.Model = this;
        var empty = new Dictionary<string, float>();
        if (!reader.TryNext(out var x))
            throw new ArgumentException("Predict: the batch source yielded no batches; at least one is needed.", "batches");
        var bar = verbose != 0 ? new Progbar(knownSteps is > 0 ? knownSteps : null, verbose) : null;
        list.ForEach(c => c.OnPredictBegin(empty));
        var outputs = new List<Tensor>();
        int step = 0;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (x is null) throw new ArgumentException($"Predict (batch {step}): the batch is null.", "batches");
            list.ForEach(c => c.OnPredictBatchBegin(step, empty));
            int rows = x.Rank == 0 ? 1 : Math.Max(1, x.Shape[0]);
            outputs.Add(PredictOutputs([x], rows, verbose: 0)[0]);
            list.ForEach(c => c.OnPredictBatchEnd(step, empty));
            step++;
            bar?.Update(step, [], finalize: false);
        }
        while (step != steps && reader.TryNext(out x));
        if (bar is not null)
        {
            bar.Target ??= step;
            bar.Update(step, [], finalize: true);
        }
        list.ForEach(c => c.OnPredictEnd(empty));
        return outputs.Count == 1 ? outputs[0] : Ops.Concat(outputs, 0);
    }
}
