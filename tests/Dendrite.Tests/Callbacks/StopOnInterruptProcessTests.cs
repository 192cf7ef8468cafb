using System.Diagnostics;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Callbacks;

/// <summary>Ctrl-C (SIGINT) to a child process training with StopOnInterrupt (tests/Dendrite.Tests.WriterChild, FitChild).</summary>
public sealed class StopOnInterruptProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Ctrl_c_during_fit_finishes_the_step_keeps_the_last_checkpoint_and_says_so()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var child = StartFit("--fit");
        using var cleanup = new KillOnDispose(child);
        Assert.Equal(0, WriterChild.Kill(child.Id, 2));
        Assert.True(child.WaitForExit(30_000), "the training child did not stop after Ctrl-C");
        string stdout = child.StandardOutput.ReadToEnd(), stderr = child.StandardError.ReadToEnd();
        Assert.True(child.ExitCode == 3, $"exit code {child.ExitCode}: {stdout} {stderr}");
        Assert.Contains("interrupted", stdout);
        Assert.Contains("Interrupted: stopped in epoch 2 after step 1 of 4; epoch 2 was not completed and the last checkpoint is intact.", stdout);
        Assert.True(File.Exists(Path.Combine(_dir, "ckpt-1.keras")));
        Assert.False(File.Exists(Path.Combine(_dir, "ckpt-2.keras")));
        Dendrite.Saving.Hdf5.Hdf5Saving.Enable();
        var model = Model.Load(Path.Combine(_dir, "ckpt-1.keras"));   // complete: the zip's CRCs and the HDF5 layout check out
        Assert.Equal(4, model.CountParams());
        Assert.Equal(new[] { Path.Combine(_dir, "ckpt-1.keras") }, Directory.GetFiles(_dir));   // no temporary left
    }

    [Fact]
    public void A_second_ctrl_c_ends_the_process_at_once()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var child = StartFit("--fit-hold");
        using var cleanup = new KillOnDispose(child);
        Assert.Equal(0, WriterChild.Kill(child.Id, 2));
        string? line = ReadLine(child, 30_000);
        Assert.True(line == "interrupted", $"the first Ctrl-C was not handled: '{line}'");
        Assert.False(child.HasExited);   // the first Ctrl-C kept the process
        Assert.Equal(0, WriterChild.Kill(child.Id, 2));
        Assert.True(child.WaitForExit(30_000), "the second Ctrl-C did not end the process");
        Assert.NotEqual(0, child.ExitCode);
        Assert.NotEqual(3, child.ExitCode);
    }

    /// <summary>The child's next output line, or null when none came within the timeout.</summary>
    private static string? ReadLine(Process p, int timeoutMs)
    {
        var line = p.StandardOutput.ReadLineAsync();
        return line.Wait(timeoutMs) ? line.Result : null;
    }

    /// <summary>Starts the child training into the test's folder and waits until it is inside epoch 2's first step.</summary>
    private Process StartFit(string mode) => WriterChild.Start("training", mode, _dir);

    /// <summary>Ends the child if a failed assertion left it running.</summary>
    private sealed class KillOnDispose(Process p) : IDisposable
    {
        public void Dispose()
        {
            if (p.HasExited) return;
            p.Kill();
            p.WaitForExit(10_000);
        }
    }
}
