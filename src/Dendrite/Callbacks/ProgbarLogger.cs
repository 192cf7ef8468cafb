namespace Dendrite.Callbacks;

/// <summary>Prints the Keras progress bar during Fit (added by default when verbose is 1 or 2).</summary>
public sealed class ProgbarLogger(TextWriter? output = null) : Callback
{
    /// <inheritdoc/>
    public override bool RankZeroOnly => true;

    private Progbar? _bar;
    private int _seen;

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (Parameters.Verbose == 0) return;
        // Keras 3 (ProgbarLogger.on_epoch_begin) prints the epoch header for verbose 1 and 2 alike when epochs > 1.
        if (Parameters.Epochs > 1) Output(output).WriteLine($"Epoch {epoch + 1}/{Parameters.Epochs}");
        _bar = new Progbar(Parameters.Steps, Parameters.Verbose, output);
        _seen = 0;
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        _seen = batch + 1;
        if (_seen < Parameters.Steps) _bar?.Update(_seen, Ordered(logs), finalize: false);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) =>
        _bar?.Update(Math.Max(_seen, Parameters.Steps), Ordered(logs), finalize: true);

    /// <summary>Training values first, then validation ones, each alphabetically (as Keras 3 shows them).</summary>
    internal static IEnumerable<KeyValuePair<string, float>> Ordered(IReadOnlyDictionary<string, float> logs) =>
        logs.Where(kv => !kv.Key.StartsWith("val_", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Concat(logs.Where(kv => kv.Key.StartsWith("val_", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal));
}
