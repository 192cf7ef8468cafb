using Dendrite.Models;

namespace Dendrite.Callbacks;

/// <summary>
/// Hooks into <c>Model.Fit</c>,
/// Evaluate and Predict, with every Keras hook; all do nothing unless overridden. Logs map metric names
/// ("loss", "accuracy", "val_loss", ...) to values.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained (set before <see cref="OnTrainBegin"/>).</summary>
    public Model? Model { get; internal set; }

    /// <summary>Epochs, steps per epoch and verbosity of the current run.</summary>
    public TrainingParameters Parameters { get; internal set; } = new(0, 0, 0);

    /// <summary>
    /// True for callbacks that only rank 0 runs in data-parallel training (the progress bar, checkpoints, CSV logs):
    /// the other ranks leave them out. Callbacks that steer training (early stopping, learning-rate changes) run on every
    /// rank with the same averaged logs, so every rank makes the same decision.
    /// </summary>
    public virtual bool RankZeroOnly => false;

    /// <summary>Where a callback prints: <paramref name="output"/> or the console on rank 0, nowhere on the other ranks.</summary>
    protected TextWriter Output(TextWriter? output) => Parameters.Rank == 0 ? output ?? Console.Out : TextWriter.Null;

    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainBegin(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>After the last epoch.</summary>
    public virtual void OnTrainEnd(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>At the start of an epoch (0-based).</summary>
    public virtual void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>At the end of an epoch, with its training and validation results.</summary>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Before a training batch.</summary>
    public virtual void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>After a training batch, with the running results of the epoch.</summary>
    public virtual void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Before evaluation.</summary>
    public virtual void OnTestBegin(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>After evaluation.</summary>
    public virtual void OnTestEnd(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Before an evaluation batch.</summary>
    public virtual void OnTestBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>After an evaluation batch.</summary>
    public virtual void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Before prediction.</summary>
    public virtual void OnPredictBegin(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>After prediction.</summary>
    public virtual void OnPredictEnd(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Before a prediction batch.</summary>
    public virtual void OnPredictBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>After a prediction batch.</summary>
    public virtual void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { }
}
