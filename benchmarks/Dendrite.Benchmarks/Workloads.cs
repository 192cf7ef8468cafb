namespace Dendrite.Benchmarks;

/// <summary>The named workloads this program can run.</summary>
internal static class Workloads
{
    public static readonly string[] All = ["w1", "w2", "w3", "w4", "gemm"];

    public static bool Run(string name)
    {
        switch (name)
        {
            case "w1": TrainingBenchmarks.W1(); return true;
            case "w2": TrainingBenchmarks.W2(); return true;
            case "w3": TrainingBenchmarks.W3(); return true;
            case "w4": TrainingBenchmarks.W4(); return true;
            case "gemm": GemmBenchmark.Run([256, 512, 1024, 2048]); return true;
            default: return false;
        }
    }
}
