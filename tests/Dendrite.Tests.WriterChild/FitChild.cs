using Dendrite;
using Dendrite.Callbacks;
using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;

/// <summary>
/// "--fit DIR" (or "--fit-hold DIR"): trains a small model with <see cref="StopOnInterrupt"/> and a checkpoint per epoch
/// into DIR. In epoch 2 after step 1 it prints "training" and waits inside the step for the test's Ctrl-C (SIGINT); then it
/// prints "interrupted" and, with --fit, lets the step end, so Fit stops, and exits with 3 when Fit threw
/// OperationCanceledException. With --fit-hold it stays in the step until a second Ctrl-C ends the process.
/// </summary>
internal static class FitChild
{
    public static int Run(string dir, bool hold)
    {
        Dendrite.Saving.Hdf5.Hdf5Saving.Enable();   // the checkpoints are .keras files
        Utils.SetRandomSeed(1);
        var x = Tensor.RandomUniform([16, 3], -1f, 1f, seed: 2);
        var y = Ops.MatMul(x, Tensor.FromArray([1.5f, -2f, 0.5f], 3, 1));
        var model = new Sequential([new Input(shape: [3]), new Dense(1)]);
        model.Compile(optimizer: new SGD(learningRate: 0.1), loss: "mse");
        using var stop = new StopOnInterrupt();
        var wait = new LambdaCallback(onTrainBatchEnd: (batch, _) =>
        {
            if (stop.Interrupted || batch != 0) return;
            Console.Out.WriteLine("training");
            Console.Out.Flush();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!stop.Interrupted && DateTime.UtcNow < deadline) Thread.Sleep(10);
            Console.Out.WriteLine("interrupted");
            Console.Out.Flush();
            if (hold) Thread.Sleep(Timeout.Infinite);
        });
        var epochs = new LambdaCallback(onEpochBegin: (epoch, _) => Epoch = epoch);
        try
        {
            model.Fit(x, y, batchSize: 4, epochs: 5, verbose: 0, shuffle: false,
                callbacks: [epochs, new OnlyInEpoch(1, wait), stop, new ModelCheckpoint(Path.Combine(dir, "ckpt-{epoch}.keras"))]);
        }
        catch (OperationCanceledException) when (stop.Interrupted)
        {
            return 3;
        }
        return 0;
    }

    private static int Epoch;

    /// <summary>Runs the inner callback's batch hook in one epoch only.</summary>
    private sealed class OnlyInEpoch(int epoch, Callback inner) : Callback
    {
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
        {
            if (Epoch == epoch) inner.OnTrainBatchEnd(batch, logs);
        }
    }
}
