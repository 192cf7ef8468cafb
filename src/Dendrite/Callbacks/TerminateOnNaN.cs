namespace Dendrite.Callbacks;

/// <summary>Stops training as soon as a batch's loss is NaN or infinite (Keras TerminateOnNaN).</summary>
public sealed class TerminateOnNaN(TextWriter? output = null) : Callback
{
    /// <summary>True once training was stopped for an invalid loss.</summary>
    public bool Terminated { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        if (logs.TryGetValue("loss", out float loss) && !float.IsFinite(loss))
        {
            Output(output).WriteLine($"Batch {batch}: Invalid loss, terminating training");
            Terminated = true;
            Model!.StopTraining = true;
        }
    }
}
