using System.Diagnostics;

namespace Dendrite.Benchmarks;

/// <summary>Runs one workload in a fresh process of this program (so its first epoch and first GEMM run on a fresh JIT),
/// copying its output lines to ours.</summary>
internal static class ChildProcess
{
    /// <summary>A start of this program (the apphost, or <c>dotnet</c> with this assembly) with the given arguments.</summary>
    public static ProcessStartInfo Self(params string[] args)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("No process path to start a child from.");
        var psi = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Dendrite.Benchmarks.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    public static int Run(string workload, int? threads, bool jitProfile, bool recordOnly = false)
    {
        var args = new List<string> { workload, "--in-process" };
        if (threads is { } t) args.AddRange(["--threads", t.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (!jitProfile) args.Add("--no-jit-profile");
        if (recordOnly) args.Add("--record-jit-profile");
        using var child = Process.Start(Self([.. args]))!;
        child.WaitForExit();
        return child.ExitCode;
    }
}
