using System.Diagnostics;
using System.Globalization;
using Dendrite.Data;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Data;

/// <summary>
/// Interrupted writes leave nothing behind: a failed write keeps the old file, a signal removes the temporary file of
/// the write in progress, and a temporary file left by a killed process is removed by the next write to its target.
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private string[] Temporaries(string name) => Directory.GetFiles(_dir, $".{name}.*.tmp");

    private static string TempName(string target, int pid) => $".{target}.{pid.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}.tmp";

    [Fact]
    public void A_failed_write_keeps_the_old_file_and_removes_its_temporary()
    {
        File.WriteAllText(P("keep.bin"), "old");
        var e = Assert.Throws<InvalidOperationException>(() =>
            AtomicFile.Write(P("keep.bin"), s => { s.Write(new byte[100_000]); throw new InvalidOperationException("disk full"); }));
        Assert.Equal("disk full", e.Message);
        Assert.Equal("old", File.ReadAllText(P("keep.bin")));
        Assert.Equal([P("keep.bin")], Directory.GetFiles(_dir));
    }

    [Fact]
    public void Stale_temporaries_of_dead_processes_are_removed_by_the_next_write_to_the_same_target()
    {
        File.WriteAllText(P("model.dnw"), "old");
        string dead = P(TempName("model.dnw", 4_194_305));   // above Linux's pid_max (2^22): no such process
        string liveOld = P(TempName("model.dnw", 1));         // init: alive and older than the file, so it may own it
        string otherTarget = P(TempName("other.dnw", 4_194_305));
        string notOurs = P(".model.dnw.backup.tmp");
        foreach (var f in new[] { dead, liveOld, otherTarget, notOurs }) File.WriteAllText(f, "partial");

        AtomicFile.Write(P("model.dnw"), s => s.Write("new"u8));

        Assert.Equal("new", File.ReadAllText(P("model.dnw")));
        Assert.False(File.Exists(dead), "the temporary file of a dead process was not removed");
        Assert.True(File.Exists(otherTarget), "a temporary file of another target was removed");
        Assert.True(File.Exists(notOurs), "a file that does not follow the temporary-name pattern was removed");
        if (OperatingSystem.IsLinux()) Assert.True(File.Exists(liveOld), "the temporary file of a live process was removed");
    }

    [Fact]
    public void A_temporary_file_older_than_the_process_that_now_has_its_pid_is_stale()
    {
        // The pid was reused: the process running under it started after the temporary file was last written.
        string reused = P(TempName("w.bin", 1));
        File.WriteAllText(reused, "partial");
        File.SetLastWriteTimeUtc(reused, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(1, AtomicFile.RemoveStaleTemporaries(_dir, "w.bin"));
        Assert.False(File.Exists(reused));
    }

    [Fact]
    public void The_directory_is_flushed_after_the_rename_on_unix()
    {
        if (OperatingSystem.IsWindows()) Assert.False(DirectorySync.TryFlush(_dir));
        else Assert.True(DirectorySync.TryFlush(_dir), "fsync of the directory failed");
        Assert.False(DirectorySync.TryFlush(P("no-such-directory")));
    }

    [Theory]
    [InlineData(15, "SIGTERM")]
    [InlineData(2, "SIGINT")]
    public void A_signal_during_a_write_removes_the_temporary_file_and_keeps_the_old_one(int signal, string name)
    {
        if (!OperatingSystem.IsLinux()) return;
        File.WriteAllText(P("ckpt.dnw"), "old");
        using var child = StartWriter(P("ckpt.dnw"));
        Assert.Single(Temporaries("ckpt.dnw"));
        Assert.Equal(0, WriterChild.Kill(child.Id, signal));
        Assert.True(child.WaitForExit(20_000), $"the writer did not end on {name}");
        Assert.Empty(Temporaries("ckpt.dnw"));
        Assert.Equal("old", File.ReadAllText(P("ckpt.dnw")));
    }

    [Fact]
    public void A_ctrl_c_the_program_handles_itself_lets_the_write_finish()
    {
        if (!OperatingSystem.IsLinux()) return;
        File.WriteAllText(P("ckpt.dnw"), "old");
        using var child = StartWriter(P("ckpt.dnw"), "--cancel-ctrl-c");
        Assert.Equal(0, WriterChild.Kill(child.Id, 2));
        Assert.True(child.WaitForExit(20_000), "the writer did not finish after its Ctrl-C handler ran");
        Assert.True(child.ExitCode == 0, $"exit code {child.ExitCode}: {child.StandardOutput.ReadToEnd()} {child.StandardError.ReadToEnd()}");
        Assert.Equal("new", File.ReadAllText(P("ckpt.dnw")));
        Assert.Empty(Temporaries("ckpt.dnw"));
    }

    [Fact]
    public void After_kill_9_the_next_write_removes_the_orphaned_temporary()
    {
        if (!OperatingSystem.IsLinux()) return;
        File.WriteAllText(P("ckpt.dnw"), "old");
        using var child = StartWriter(P("ckpt.dnw"));
        child.Kill();                                      // SIGKILL: no handler runs
        Assert.True(child.WaitForExit(20_000));
        Assert.Single(Temporaries("ckpt.dnw"));
        Assert.Equal("old", File.ReadAllText(P("ckpt.dnw")));
        AtomicFile.Write(P("ckpt.dnw"), s => s.Write("new"u8));
        Assert.Empty(Temporaries("ckpt.dnw"));
        Assert.Equal("new", File.ReadAllText(P("ckpt.dnw")));
    }

    /// <summary>Starts the helper process in an atomic write of <paramref name="target"/> and waits until it is inside it.</summary>
    private static Process StartWriter(string target, string? option = null) => WriterChild.Start("writing", option, target);

}
