namespace Dendrite.Callbacks;

/// <summary>How a <c>Fit</c> run went, as <see cref="Models.Model.TrainingStatus"/> tells callbacks in <c>OnTrainEnd</c>.</summary>
public enum TrainingStatus
{
    /// <summary>The model has not been trained with Fit yet.</summary>
    NotStarted,
    /// <summary>Fit is running (between OnTrainBegin and OnTrainEnd).</summary>
    Running,
    /// <summary>Every epoch ran.</summary>
    Completed,
    /// <summary>A callback set <see cref="Models.Model.StopTraining"/> (early stopping, TerminateOnNaN, ...).</summary>
    Stopped,
    /// <summary>
    /// The cancellation token was cancelled (or <see cref="StopOnInterrupt"/> saw Ctrl-C): training stopped between two
    /// steps, the interrupted epoch had no OnEpochEnd (so no checkpoint or CSV row for it), and after OnTrainEnd Fit
    /// throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Cancelled,
}
