using System.Globalization;

namespace Dendrite.Callbacks;

/// <summary>
/// Multiplies the learning rate by <paramref name="factor"/> when the monitored value has not improved (by more than
/// minDelta) for <paramref name="patience"/> epochs, then waits <paramref name="cooldown"/> epochs; never below minLr (Keras ReduceLROnPlateau).
/// </summary>
public sealed class ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, int verbose = 0,
    string mode = "auto", double minDelta = 1e-4, int cooldown = 0, double minLr = 0.0, TextWriter? output = null) : Callback
{
    private readonly bool _max = factor < 1.0 ? MonitorMode.Maximize(mode, monitor) : throw new ArgumentOutOfRangeException(nameof(factor), "ReduceLROnPlateau does not support a factor >= 1.");
    private double _best;
    private int _wait, _cooldownCounter;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs)
    {
        _best = _max ? double.NegativeInfinity : double.PositiveInfinity;
        _wait = 0;
        _cooldownCounter = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (!logs.TryGetValue(monitor, out float current)) return;
        if (_cooldownCounter > 0) { _cooldownCounter--; _wait = 0; }
        bool better = _max ? current > _best + minDelta : current < _best - minDelta;
        if (better) { _best = current; _wait = 0; return; }
        if (_cooldownCounter > 0) return;
        if (++_wait < patience) return;
        var optimizer = Model!.Optimizer!;
        double old = optimizer.LearningRate;
        if (old > minLr)
        {
            double lr = Math.Max(old * factor, minLr);
            optimizer.LearningRate = lr;
            if (verbose > 0) Output(output).WriteLine($"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {lr.ToString("R", CultureInfo.InvariantCulture)}.");
            _cooldownCounter = cooldown;
            _wait = 0;
        }
    }
}
