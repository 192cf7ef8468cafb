using System.Diagnostics;
using System.Globalization;
using Dendrite.Optimizers;

namespace Dendrite.Benchmarks;

/// <summary>
/// W2's training with the default threads and with one thread in the same process, epoch by epoch in alternation
/// (`w2-threads`, meant beside `--competing-load`). Separate processes beside a load differ by up to 2x from each
/// other whatever the setting (where the scheduler puts their threads among the load's), which swamps the setting's
/// own effect; alternating turns in one process lets both settings meet the same conditions. Prints one JSON line:
/// both settings' speeds, each round's ratio (default over one thread) and a control's (one thread over one thread).
/// </summary>
internal static class ThreadsAlternation
{
    private const int Rounds = 16;

    /// <summary>Epochs per setting in a round: one epoch (~0.1 s) is a few of the scheduler's time slices, and rounds of
    /// one epoch each ranged from 0.5x to 1.9x beside the load, in both directions.</summary>
    private const int EpochsPerTurn = 4;

    public static void W2()
    {
        var (model, x, y) = TrainingBenchmarks.MlpWorkload([784, 256, 128, 10], new Adam(learningRate: 1e-3));
        int n = x.Shape[0], all = Settings.Threads;
        double Epoch(int threads)
        {
            Settings.Threads = threads;
            long t0 = Stopwatch.GetTimestamp();
            model.Fit(x, y, batchSize: 64, epochs: EpochsPerTurn, verbose: 0);
            return EpochsPerTurn * n / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        try
        {
            Epoch(all);
            Epoch(1);
            var (many, one, ratios, control) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            for (int r = 0; r < Rounds; r++)
            {
                // Each round: the default, one thread, and one thread again as a control (one thread against itself shows
                // how far two turns of the same setting differ here); the order rotates from round to round.
                double a = 0, b = 0, c = 0;
                for (int t = 0; t < 3; t++)
                    switch ((r + t) % 3)
                    {
                        case 0: a = Epoch(all); break;
                        case 1: b = Epoch(1); break;
                        default: c = Epoch(1); break;
                    }
                many.Add(a);
                one.Add(b);
                ratios.Add(a / b);
                control.Add(c / b);
            }
            static string List(List<double> v) => string.Join(", ", v.Select(q => Math.Round(q, 2).ToString(CultureInfo.InvariantCulture)));
            Console.WriteLine($"{{\"workload\": \"W2 threads alternated\", \"samples\": {n}, \"batch\": 64, \"threads\": {all}, " +
                $"\"epochs_per_turn\": {EpochsPerTurn}, \"train_samples_per_s\": {Stats.Json(many)}, \"one_thread_train_samples_per_s\": {Stats.Json(one)}, " +
                $"\"round_ratios\": [{List(ratios)}], \"rounds_over_10pct_slower\": {ratios.Count(v => v < 1 / 1.1)}, " +
                $"\"control_round_ratios\": [{List(control)}], \"control_rounds_over_10pct_slower\": {control.Count(v => v < 1 / 1.1)}}}");
        }
        finally { Settings.Threads = all; }
    }
}
