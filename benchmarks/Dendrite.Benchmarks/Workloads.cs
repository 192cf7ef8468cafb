namespace Dendrite.Benchmarks;

/// <summary>The named workloads this program can run.</summary>
internal static class Workloads
{
    public static readonly string[] All = ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "gemm"];

    /// <summary>The training workloads whose first epoch is measured in a fresh process (the ones
    /// <c>--record-jit-profile</c> records a profile for).</summary>
    public static readonly string[] FirstEpochMeasured = ["w1", "w2", "w4", "w5", "w6", "w7"];

    /// <summary>The data-parallel workloads (dp-w1, dp-w4), not in the default list: run them under mpirun, or alone for one rank.</summary>
    public static readonly string[] DataParallel = ["dp-w1", "dp-w4"];

    /// <summary>Workloads not in the default list.</summary>
    public static IEnumerable<string> Extra => DataParallel.Append("w2-threads").Append("fma");

    private static readonly Lazy<Distributed.DataParallel> Dp = new(() => Distributed.DataParallel.Init());

    /// <summary>Whether no workload has run in this process yet (its first epoch then includes the JIT's start).</summary>
    public static bool FreshProcess { get; private set; } = true;

    /// <summary>Whether this process replays a recorded multicore JIT profile (<see cref="JitProfile"/>); null when it
    /// started none (not a workload's child process, or --no-jit-profile).</summary>
    public static bool? JitProfileReplayed { get; set; }

    /// <summary>Whether this run only records the multicore JIT profile (<c>--record-jit-profile</c>): a training
    /// workload stops after its first epoch and prints nothing.</summary>
    public static bool RecordOnly { get; set; }

    public static bool Known(string name) => All.Contains(name) || Extra.Contains(name);

    public static bool Run(string name)
    {
        try { return RunOne(name); }
        finally { FreshProcess = false; }
    }

    private static bool RunOne(string name)
    {
        switch (name)
        {
            case "w1": TrainingBenchmarks.W1(); return true;
            case "w2": TrainingBenchmarks.W2(); return true;
            case "w3": TrainingBenchmarks.W3(); return true;
            case "w4": TrainingBenchmarks.W4(); return true;
            case "w5": TrainingBenchmarks.W5(); return true;
            case "w6": TrainingBenchmarks.W6(); return true;
            case "w7": TrainingBenchmarks.W7(); return true;
            case "w2-threads": ThreadsAlternation.W2(); return true;
            case "gemm": GemmBenchmark.Run([256, 512, 1024, 2048]); return true;
            case "fma": FmaCheck.Run(); return true;
            case "dp-w1": DataParallelBenchmarks.W1(Dp.Value); return true;
            case "dp-w4": DataParallelBenchmarks.W4(Dp.Value); return true;
            default: return false;
        }
    }
}
