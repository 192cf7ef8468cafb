using System.Diagnostics;
using System.Globalization;
using Dendrite.Optimizers;

namespace Dendrite.Benchmarks;

/// <summary>
/// W2's training with the default threads and with one thread in the same process, epoch by epoch in alternation
/// (`w2-threads`, meant beside `--competing-load`). Separate processes beside a load differ by up to 2x from each
/// other whatever the setting (where the scheduler puts their threads among the load's), which swamps the setting's
/// own effect; alternating epochs in one process lets both settings meet the same conditions. Prints one JSON line:
/// both settings' epochs and each round's ratio (default over one thread; the order inside a round alternates).
/// </summary>
internal static class ThreadsAlternation
{
    private const int Rounds = 16;

    public static void W2()
    {
        var (model, x, y) = TrainingBenchmarks.MlpWorkload([784, 256, 128, 10], new Adam(learningRate: 1e-3));
        int n = x.Shape[0], all = Settings.Threads;
        double Epoch(int threads)
        {
            Settings.Threads = threads;
            long t0 = Stopwatch.GetTimestamp();
            model.Fit(x, y, batchSize: 64, epochs: 1, verbose: 0);
            return n / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        try
        {
            Epoch(all);
            Epoch(1);
            var (many, one, ratios) = (new List<double>(), new List<double>(), new List<double>());
            for (int r = 0; r < Rounds; r++)
            {
                double a, b;
                if (r % 2 == 0) (a, b) = (Epoch(all), Epoch(1));
                else (b, a) = (Epoch(1), Epoch(all));
                many.Add(a);
                one.Add(b);
                ratios.Add(a / b);
            }
            string list = string.Join(", ", ratios.Select(v => Math.Round(v, 2).ToString(CultureInfo.InvariantCulture)));
            Console.WriteLine($"{{\"workload\": \"W2 threads alternated\", \"samples\": {n}, \"batch\": 64, \"threads\": {all}, " +
                $"\"train_samples_per_s\": {Stats.Json(many)}, \"one_thread_train_samples_per_s\": {Stats.Json(one)}, " +
                $"\"round_ratios\": [{list}], \"rounds_over_10pct_slower\": {ratios.Count(v => v < 1 / 1.1)}}}");
        }
        finally { Settings.Threads = all; }
    }
}
