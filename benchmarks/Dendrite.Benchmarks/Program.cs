using Dendrite.Benchmarks;

// dotnet run -c Release --project benchmarks/Dendrite.Benchmarks -- [w1 w2 w3 w4 w5 gemm] [--threads N]
// mpirun -np 2 --bind-to none dotnet benchmarks/Dendrite.Benchmarks/bin/Release/net10.0/Dendrite.Benchmarks.dll dp-w1 dp-w4
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
        Console.Error.WriteLine($"unknown workload '{name}'; available: {string.Join(", ", Workloads.All.Concat(Workloads.DataParallel))}");
        return 2;
    }
}
return 0;
