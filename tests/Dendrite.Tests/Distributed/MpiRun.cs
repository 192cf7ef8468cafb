using System.Diagnostics;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Distributed;

/// <summary>Starts programs built beside the tests, under <c>mpirun -np N</c> or alone, with a time limit.</summary>
internal static class MpiRun
{
    public static string? MpirunPath { get; } = RepoProcess.FindOnPath("mpirun");

    public static string Program(string name) => Path.Combine(AppContext.BaseDirectory, name + ".dll");

    /// <summary>Runs <c>mpirun -np ranks dotnet program args</c>; returns the exit code, stdout+stderr and the time taken.</summary>
    public static (int ExitCode, string Output, TimeSpan Elapsed) Ranks(int ranks, string program, string arguments, int timeoutSeconds,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(MpirunPath!, $"--allow-run-as-root --oversubscribe --bind-to none {string.Concat((environment?.Keys ?? []).Select(k => $"-x {k} "))}" +
            $"-np {ranks} dotnet \"{Program(program)}\" {arguments}", timeoutSeconds, workingDirectory, environment);

    /// <summary>Runs <c>dotnet program args</c> as one process, with extra environment variables.</summary>
    public static (int ExitCode, string Output, TimeSpan Elapsed) Alone(string program, string arguments, int timeoutSeconds,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Start("dotnet", $"\"{Program(program)}\" {arguments}", timeoutSeconds, null, environment);

    private static (int, string, TimeSpan) Start(string file, string arguments, int timeoutSeconds, string? workingDirectory,
        IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        // The tests' own launcher variables (if the test host ever runs under MPI) must not leak into the children.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("OMPI_", StringComparison.Ordinal) || k.StartsWith("PMIX_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var process = System.Diagnostics.Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"timed out after {timeoutSeconds} s\n{stdout.Result}\n{stderr.Result}", clock.Elapsed);
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + "\n" + stderr.Result, clock.Elapsed);
    }
}

/// <summary>A test that needs <c>mpirun</c> (Open MPI); skipped with the install command when it is missing.</summary>
internal sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiRun.MpirunPath is null) Skip = "mpirun is not installed (apt-get install openmpi-bin); .ci/run installs it";
    }
}

/// <summary>A theory that needs <c>mpirun</c> (Open MPI).</summary>
internal sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute()
    {
        if (MpiRun.MpirunPath is null) Skip = "mpirun is not installed (apt-get install openmpi-bin); .ci/run installs it";
    }
}
