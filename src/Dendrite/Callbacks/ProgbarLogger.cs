namespace Dendrite.Callbacks;

/// <summary>
/// Prints the Keras progress bar during Fit (added by default when verbose is 1 or 2). When the number of steps is not
/// known (<see cref="TrainingParameters.Steps"/> 0: a batch source of unknown length), the first epoch counts
/// <c>      7/Unknown</c> and later epochs take the count the first one saw, as Keras does.
/// </summary>
/// <param name="output">Where to write (default: the console).</param>
/// <param name="dynamicDisplay">Redraw the line in place (default: when writing to a console that is not redirected).</param>
public sealed class ProgbarLogger(TextWriter? output = null, bool? dynamicDisplay = null) : Callback
{
    /// <inheritdoc/>
    public override bool RankZeroOnly => true;

    private Progbar? _bar;
    private int _seen;
    private int? _learnedSteps;

    private int? Target => Parameters.Steps > 0 ? Parameters.Steps : _learnedSteps;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) => _learnedSteps = null;

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (Parameters.Verbose == 0) return;
        // Keras 3 (ProgbarLogger.on_epoch_begin) prints the epoch header for verbose 1 and 2 alike when epochs > 1.
        if (Parameters.Epochs > 1) Output(output).WriteLine($"Epoch {epoch + 1}/{Parameters.Epochs}");
        _bar = new Progbar(Target, Parameters.Verbose, output, dynamicDisplay);
        _seen = 0;
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        _seen = batch + 1;
        if (Target is not { } target || _seen < target) _bar?.Update(_seen, Ordered(logs), finalize: false);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (_bar is null) return;
        if (Target is null)
        {
            // Keras's _finalize_progbar: the first epoch over a source of unknown length sets the target it saw.
            _learnedSteps = _seen;
            _bar.Target = _seen;
        }
        _bar.Update(Math.Max(_seen, Target!.Value), Ordered(logs), finalize: true);
    }

    /// <summary>Training values first, then validation ones, each alphabetically (as Keras 3 shows them).</summary>
    internal static IEnumerable<KeyValuePair<string, float>> Ordered(IReadOnlyDictionary<string, float> logs) =>
        logs.Where(kv => !kv.Key.StartsWith("val_", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Concat(logs.Where(kv => kv.Key.StartsWith("val_", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal));
}
