using System.Diagnostics;
using System.Globalization;
using Dendrite.Distributed;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Training;

namespace Dendrite.Benchmarks;

/// <summary>
/// W1 and W4 data-parallel: <c>mpirun -np N --bind-to none dotnet Dendrite.Benchmarks.dll dp-w1 dp-w4</c> (or alone for
/// one rank). Each rank keeps the workload's batch (a global batch of batch x N, Horovod's convention) and the shared
/// cores are split among the ranks. Rank 0 prints time per step and the share of it spent in the gradient allreduce
/// (which includes waiting for the slower rank).
/// </summary>
internal static class DataParallelBenchmarks
{
    private const int Reps = 5;

    public static void W1(DataParallel dp)
    {
        var (model, x, y) = TrainingBenchmarks.MlpWorkload([3072, 200, 150, 10], new Adam(learningRate: 5e-4, epsilon: 1e-7));
        Report(dp, "DP W1 cifar-mlp", model, x, y, 32, x.Shape[0]);
    }

    public static void W4(DataParallel dp)
    {
        var (model, x, y) = TrainingBenchmarks.W4Workload();
        Report(dp, "DP W4 wide", model, x, y, 512, x.Shape[0]);
    }

    private static void Report(DataParallel dp, string name, Model model, Tensor x, Tensor y, int batch, int n)
    {
        var timed = new TimedCollectives(dp);
        model.Fit(x, y, batchSize: batch, epochs: 1, verbose: 0, distributed: timed);   // warm-up
        int steps = (int)(((long)n + (long)batch * dp.Size - 1) / ((long)batch * dp.Size));
        List<double> stepMs = [], reduceMs = [];
        for (int r = 0; r < Reps; r++)
        {
            timed.GradientSeconds = 0;
            long t0 = Stopwatch.GetTimestamp();
            model.Fit(x, y, batchSize: batch, epochs: 1, verbose: 0, distributed: timed);
            stepMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds / steps);
            reduceMs.Add(timed.GradientSeconds * 1000 / steps);
        }
        if (!dp.IsRoot) return;
        long parameters = model.TrainableWeights.Sum(w => (long)w.Size);
        double share = Stats.Median(reduceMs) / Stats.Median(stepMs);
        Console.WriteLine($"{{\"workload\": \"{name}\", \"ranks\": {dp.Size}, \"threads_per_rank\": {Settings.Threads}, \"batch_per_rank\": {batch}, " +
            $"\"overlap\": {(dp.CollectivesFromAnyThread ? "true" : "false")}, \"steps_per_epoch\": {steps}, \"parameters\": {parameters}, \"ms_per_step\": {Stats.Json(stepMs, 3)}, " +
            $"\"allreduce_ms_per_step\": {Stats.Json(reduceMs, 3)}, \"allreduce_share\": {Math.Round(share, 3).ToString(CultureInfo.InvariantCulture)}, " +
            $"\"train_samples_per_s\": {Math.Round(n / (Stats.Median(stepMs) * steps / 1000), 1).ToString(CultureInfo.InvariantCulture)}}}");
    }

    /// <summary>Forwards to the real collectives and times the float allreduces (the gradients).</summary>
    private sealed class TimedCollectives(DataParallel inner) : IDataParallel
    {
        public double GradientSeconds;
        public int Rank => inner.Rank;
        public int Size => inner.Size;
        public bool CollectivesFromAnyThread => inner.CollectivesFromAnyThread;

        public void AllReduceSum(Span<float> data)
        {
            long t0 = Stopwatch.GetTimestamp();
            inner.AllReduceSum(data);
            GradientSeconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        public void AllReduceSum(Span<double> data) => inner.AllReduceSum(data);
        public void Broadcast(Span<float> data, int root = 0) => inner.Broadcast(data, root);
        public void Broadcast(Span<int> data, int root = 0) => inner.Broadcast(data, root);
        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public void Abort(string message, int errorCode = 1) => inner.Abort(message, errorCode);
    }
}
