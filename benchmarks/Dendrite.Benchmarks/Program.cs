using Dendrite.Benchmarks;

// dotnet run -c Release --project benchmarks/Dendrite.Benchmarks -- [gemm] [--threads N]
// One JSON line per workload (see ../shared/PERFORMANCE.md for the contract).
var names = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--threads" && i + 1 < args.Length) Dendrite.Settings.Threads = int.Parse(args[++i]);
    else names.Add(args[i].ToLowerInvariant());
}
if (names.Count == 0) names.AddRange(Workloads.All);
foreach (var name in names)
{
    if (!Workloads.Run(name))
    {
        Console.Error.WriteLine($"unknown workload '{name}'; available: {string.Join(", ", Workloads.All)}");
        return 2;
    }
}
return 0;
