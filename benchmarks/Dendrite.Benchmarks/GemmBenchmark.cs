using System.Diagnostics;
using Dendrite.Backends.Cpu;

namespace Dendrite.Benchmarks;

/// <summary>C = A·B, float32, square sizes: GFLOP/s = 2 n^3 / t.</summary>
internal static class GemmBenchmark
{
    public static void Run(int[] sizes)
    {
        foreach (int n in sizes)
        {
            var rng = new RandomGenerator(0);
            var a = new float[n * n];
            var b = new float[n * n];
            var c = new float[n * n];
            for (int i = 0; i < a.Length; i++) { a[i] = rng.NextFloat(); b[i] = rng.NextFloat(); }
            double flops = 2.0 * n * n * n;
            int reps = n <= 512 ? 30 : n <= 1024 ? 10 : 5;
            for (int w = 0; w < 3; w++) Gemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            var g = new List<double>();
            for (int r = 0; r < reps; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                Gemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
                double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                g.Add(flops / s / 1e9);
            }
            Console.WriteLine($"{{\"workload\": \"GEMM\", \"M=N=K\": {n}, \"threads\": {Settings.Threads}, \"gflops\": {Stats.Json(g)}}}");
        }
    }
}
