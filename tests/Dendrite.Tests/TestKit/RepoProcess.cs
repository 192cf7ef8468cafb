using System.Diagnostics;

namespace Dendrite.Tests.TestKit;

/// <summary>Runs a program of this repository (an example, a script) as a user would, and captures what it prints.</summary>
internal static class RepoProcess
{
    /// <summary>The repository root (the folder holding Dendrite.slnx), found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Dendrite.slnx"))) return d.FullName;
        throw new InvalidOperationException($"No Dendrite.slnx above {AppContext.BaseDirectory}.");
    }

    private static DirectoryInfo TfmDir => new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>The configuration the tests were built in (the test assembly lives in .../bin/{Configuration}/{tfm}/).</summary>
    public static string Configuration => TfmDir.Parent!.Name;

    /// <summary>The built dll of an example, in the configuration the tests were built in.</summary>
    public static string ExampleDll(string name)
    {
        string path = Path.Combine(Root, "examples", name, "bin", Configuration, TfmDir.Name, name + ".dll");
        if (!File.Exists(path)) throw new FileNotFoundException($"Example {name} is not built at {path}.");
        return path;
    }

    /// <summary>Runs a program to its end (at most <paramref name="timeout"/>), with extra environment variables.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, TimeSpan timeout, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Root };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {timeout}.");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The NuGet global packages folder (<c>NUGET_PACKAGES</c>, else ~/.nuget/packages).</summary>
    public static string GlobalPackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
