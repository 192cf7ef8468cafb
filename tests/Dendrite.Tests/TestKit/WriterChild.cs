using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Dendrite.Tests.TestKit;

/// <summary>Starts tests/Dendrite.Tests.WriterChild and sends it signals (the signal and interruption tests).</summary>
internal static partial class WriterChild
{
    /// <summary>
    /// Starts the child with <paramref name="args"/> and waits until its first line is <paramref name="readyLine"/>
    /// (it is then inside the work the test interrupts).
    /// </summary>
    public static Process Start(string readyLine, params string?[] args)
    {
        var p = Process.Start(StartInfo(args))!;
        var line = p.StandardOutput.ReadLineAsync();
        if (!line.Wait(60_000) || line.Result != readyLine)
        {
            p.Kill();
            throw new InvalidOperationException($"The child did not print '{readyLine}': '{line.Result}' {p.StandardError.ReadToEnd()}");
        }
        return p;
    }

    /// <summary>How to start the child with <paramref name="args"/> (the null ones left out), its output redirected.</summary>
    public static ProcessStartInfo StartInfo(params string?[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Dendrite.Tests.WriterChild.dll"));
        foreach (var a in args) if (a is not null) info.ArgumentList.Add(a);
        return info;
    }

    /// <summary>POSIX kill(2): sends <paramref name="signal"/> to <paramref name="pid"/>; 0 on success.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
