namespace Dendrite.Callbacks;

/// <summary>
/// Opt-in graceful Ctrl-C for <c>Fit</c>: <c>model.Fit(x, y, callbacks: [new StopOnInterrupt(), checkpoint])</c>.
/// During Fit the first Ctrl-C (Console.CancelKeyPress) does not end the process: the step in progress finishes, training
/// stops as if the cancellation token had been cancelled (no OnEpochEnd for the interrupted epoch, so no checkpoint or CSV
/// row from a half-trained epoch), OnTrainEnd runs with <see cref="Models.Model.TrainingStatus"/> =
/// <see cref="TrainingStatus.Cancelled"/>, one line says where it stopped, and Fit throws
/// <see cref="OperationCanceledException"/> (catch it to exit quietly). A second Ctrl-C ends the process at once, as
/// usual. Outside Fit the callback does not listen.
/// </summary>
public sealed class StopOnInterrupt(TextWriter? output = null) : Callback, IDisposable
{
    private int _presses, _epoch, _step;
    private volatile bool _interrupted;
    private bool _listening;

    /// <summary>True once a Ctrl-C stopped the current or last run.</summary>
    public bool Interrupted => _interrupted;

    /// <summary>The line printed when a run was interrupted (null otherwise).</summary>
    public string? Message { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs)
    {
        _presses = 0;
        _interrupted = false;
        Message = null;
        _epoch = _step = 0;
        Listen(true);
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        _epoch = epoch;
        _step = 0;
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => _step = batch + 1;

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs)
    {
        Listen(false);
        if (!_interrupted) return;
        Message = _step == 0
            ? $"Interrupted: stopped after epoch {_epoch} (epoch {_epoch + 1} had not started a step); the last checkpoint is intact."
            : $"Interrupted: stopped in epoch {_epoch + 1} after step {_step} of {Parameters.Steps}; epoch {_epoch + 1} was not completed and the last checkpoint is intact.";
        Output(output).WriteLine(Message);
    }

    /// <summary>
    /// What a Ctrl-C does: the first asks the running Fit to stop after its current step and returns true (keep the
    /// process); a second returns false (let it end).
    /// </summary>
    internal bool Interrupt()
    {
        if (Interlocked.Increment(ref _presses) > 1) return false;
        _interrupted = true;
        Model?.CancelFit();
        return true;
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => e.Cancel = Interrupt();

    private void Listen(bool on)
    {
        if (on == _listening) return;
        if (on) Console.CancelKeyPress += OnCancelKeyPress;
        else Console.CancelKeyPress -= OnCancelKeyPress;
        _listening = on;
    }

    /// <summary>Stops listening for Ctrl-C (a Fit that failed with another exception never reached OnTrainEnd).</summary>
    public void Dispose() => Listen(false);
}
