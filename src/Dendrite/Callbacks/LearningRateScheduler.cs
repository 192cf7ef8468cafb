using System.Globalization;

namespace Dendrite.Callbacks;

/// <summary>Sets the learning rate at the start of each epoch from schedule(epoch, currentRate) (Keras LearningRateScheduler).</summary>
public sealed class LearningRateScheduler(Func<int, double, double> schedule, int verbose = 0, TextWriter? output = null) : Callback
{
    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        var optimizer = Model!.Optimizer ?? throw new InvalidOperationException("LearningRateScheduler needs a compiled model.");
        double lr = schedule(epoch, optimizer.LearningRate);
        if (double.IsNaN(lr) || lr < 0) throw new InvalidOperationException($"The schedule returned an invalid learning rate {lr} for epoch {epoch}.");
        optimizer.LearningRate = lr;
        if (verbose > 0) Output(output).WriteLine($"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr.ToString("R", CultureInfo.InvariantCulture)}.");
    }
}
