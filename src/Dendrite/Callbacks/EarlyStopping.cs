using Dendrite.Models;

namespace Dendrite.Callbacks;

/// <summary>
/// Stops training when the monitored value stops improving for <paramref name="patience"/> epochs (Keras EarlyStopping:
/// improvement means better by more than minDelta; a baseline must be beaten to reset the wait; optionally restores the
/// weights of the best epoch, also when the run is cancelled; ignores epochs before startFromEpoch). Prints "Epoch N: early stopping".
/// </summary>
public sealed class EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, int verbose = 0,
    string mode = "auto", double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0, TextWriter? output = null) : Callback
{
    private readonly bool _max = MonitorMode.Maximize(mode, monitor);
    private int _wait;
    private double _best;
    private IReadOnlyList<Tensor>? _bestWeights;

    /// <summary>The epoch training stopped at (0 when it did not stop early).</summary>
    public int StoppedEpoch { get; private set; }
    /// <summary>The best epoch seen.</summary>
    public int BestEpoch { get; private set; }
    /// <summary>The best monitored value seen.</summary>
    public double Best => _best;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs)
    {
        _wait = 0;
        StoppedEpoch = 0;
        BestEpoch = 0;
        _best = _max ? double.NegativeInfinity : double.PositiveInfinity;
        _bestWeights = null;
    }

    private bool Improves(double value, double reference) =>
        _max ? value - Math.Abs(minDelta) > reference : value + Math.Abs(minDelta) < reference;

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (!logs.TryGetValue(monitor, out float value) || epoch < startFromEpoch) return;
        if (restoreBestWeights && _bestWeights is null) _bestWeights = Model!.GetWeights();
        _wait++;
        if (Improves(value, _best))
        {
            _best = value;
            BestEpoch = epoch;
            if (restoreBestWeights) _bestWeights = Model!.GetWeights();
            if (baseline is not double b || Improves(value, b)) { _wait = 0; return; }
        }
        if (_wait >= patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            Model!.StopTraining = true;
            if (restoreBestWeights && _bestWeights is not null) Model.SetWeights(_bestWeights);
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs)
    {
        // A cancelled or interrupted run ends with the best weights too, when they were asked for.
        if (Model is { TrainingStatus: TrainingStatus.Cancelled } m && restoreBestWeights && StoppedEpoch == 0 && _bestWeights is not null)
        {
            m.SetWeights(_bestWeights);
            if (verbose > 0) Output(output).WriteLine($"Training was cancelled; restoring model weights from the end of the best epoch: {BestEpoch + 1}.");
        }
        if (StoppedEpoch > 0 && verbose > 0)
        {
            var o = Output(output);
            o.WriteLine($"Epoch {StoppedEpoch + 1}: early stopping");
            if (restoreBestWeights) o.WriteLine($"Restoring model weights from the end of the best epoch: {BestEpoch + 1}.");
        }
    }
}
