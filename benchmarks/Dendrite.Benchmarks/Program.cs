using Dendrite.Benchmarks;

// dotnet run -c Release --project benchmarks/Dendrite.Benchmarks -- [w1 w2 w3 w4 w5 w6 w7 gemm] [--threads N] [--competing-load] [--in-process] [--no-jit-profile]
// ... -- --record-jit-profile w1 w2 ...: only records the profiles this build lacks (a workload's start and first epoch), no output.
// ... -- w2-threads --competing-load: W2 with the default threads and one thread, epochs alternated in one process.
// mpirun -np 2 --bind-to none dotnet benchmarks/Dendrite.Benchmarks/bin/Release/net10.0/Dendrite.Benchmarks.dll dp-w1 dp-w4
// One JSON line per workload (see ../shared/PERFORMANCE.md for the contract). Each workload runs in a fresh child
// process (its first epoch is the process's first), unless --in-process. --competing-load runs them beside another
// process that keeps every core busy (stopped when they end). A workload's process replays its multicore JIT profile
// (Dendrite.JitProfile, recorded by the previous run of that workload since the last build, from the process's start
// to the end of its first epoch) unless --no-jit-profile. --record-jit-profile runs each workload whose profile this build
// has not recorded yet only through its first epoch, recording it, and prints nothing (compare.sh runs it after a build,
// so that every measured process replays one, as an application's runs do after its first).
var names = new List<string>();
bool inProcess = false, competingLoad = false, jitProfile = true;
int? threads = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--threads" && i + 1 < args.Length) threads = int.Parse(args[++i]);
    else if (args[i] == "--in-process") inProcess = true;
    else if (args[i] == "--competing-load") competingLoad = true;
    else if (args[i] == "--no-jit-profile") jitProfile = false;
    else if (args[i] == "--record-jit-profile") Workloads.RecordOnly = true;
    else if (args[i] == "--burn") return CompetingLoad.Burn();
    else names.Add(args[i].ToLowerInvariant());
}
if (threads is { } t) Dendrite.Settings.Threads = t;
if (names.Count == 0) names.AddRange(Workloads.All);
foreach (var name in names)
{
    if (!Workloads.Known(name))
    {
        Console.Error.WriteLine($"unknown workload '{name}'; available: {string.Join(", ", Workloads.All.Concat(Workloads.Extra))}");
        return 2;
    }
}
// Recording only: the workloads without a measured first epoch are left out before any profile starts (a process that
// started one would rewrite it at exit with what it compiled until then), and so is a workload this build recorded.
if (Workloads.RecordOnly) names.RemoveAll(n => !Workloads.FirstEpochMeasured.Contains(n));
if (Workloads.RecordOnly && (names.Count == 0 || !jitProfile || (inProcess && names.Count == 1 && Dendrite.JitProfile.IsRecorded("benchmark-" + names[0])))) return 0;
if (inProcess && names.Count == 1 && jitProfile) Workloads.JitProfileReplayed = Dendrite.JitProfile.Start("benchmark-" + names[0]);
using var load = competingLoad ? CompetingLoad.Start() : null;
foreach (var name in names)
{
    int rc = inProcess || Workloads.DataParallel.Contains(name) ? (Workloads.Run(name) ? 0 : 2) : ChildProcess.Run(name, threads, jitProfile, Workloads.RecordOnly);
    if (rc != 0) return rc;
}
return 0;
