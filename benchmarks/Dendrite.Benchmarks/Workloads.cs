namespace Dendrite.Benchmarks;

/// <summary>The named workloads this program can run.</summary>
internal static class Workloads
{
    public static readonly string[] All = ["gemm"];

    public static bool Run(string name)
    {
        switch (name)
        {
            case "gemm": GemmBenchmark.Run([256, 512, 1024, 2048]); return true;
            default: return false;
        }
    }
}
