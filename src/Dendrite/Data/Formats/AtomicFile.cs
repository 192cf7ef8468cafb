using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Dendrite.Data;

/// <summary>
/// Writes files so that nothing is lost: into a temporary file beside the target
/// (<c>.{name}.{pid}.{guid}.tmp</c>), flushed to disk, then renamed over the target, and the directory flushed after
/// the rename (Unix). If writing fails, the previous file is untouched and the temporary file is removed; on SIGTERM,
/// SIGINT (Ctrl-C), SIGQUIT or SIGHUP the temporary files of writes in progress are removed before the process ends;
/// and a temporary file left by a process that was killed outright (kill -9, power loss) is removed by the next write
/// to the same target once its owner process is gone. When the program cancels the signal (its own Ctrl-C handler)
/// the write in progress goes on and completes.
/// </summary>
public static class AtomicFile
{
    private const string Suffix = ".tmp";
    private static readonly ConcurrentDictionary<string, byte> InFlight = new(StringComparer.Ordinal);
    private static readonly Lock HookLock = new();
    private static List<PosixSignalRegistration>? _registrations;

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        Directory.CreateDirectory(dir);
        HookTerminationSignals();
        RemoveStaleTemporaries(dir, name);
        string tmp = Path.Combine(dir, $".{name}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}{Suffix}");
        InFlight[tmp] = 0;
        FileStream? s = null;
        try
        {
            s = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            write(s);
            s.Flush(flushToDisk: true);
            for (int attempt = 1; ; attempt++)
            {
                // A termination signal removed the temporary file, but the program cancelled the signal and goes on:
                // the data is still in the open file, so write it out again.
                if (!File.Exists(tmp)) Rewrite(tmp, s);
                if (OperatingSystem.IsWindows()) s.Dispose();   // Windows renames only closed files
                try
                {
                    File.Move(tmp, full, overwrite: true);
                    break;
                }
                catch (FileNotFoundException) when (attempt < 3 && !File.Exists(tmp)) { }
            }
            DirectorySync.TryFlush(dir);
        }
        catch
        {
            s?.Dispose();
            TryDelete(tmp);
            throw;
        }
        finally
        {
            s?.Dispose();
            InFlight.TryRemove(tmp, out _);
        }
    }

    private static void Rewrite(string tmp, FileStream written)
    {
        using var again = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        written.Position = 0;
        written.CopyTo(again);
        again.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Removes the temporary files that writes to <paramref name="name"/> in <paramref name="dir"/> left behind in
    /// processes that no longer run. Returns how many were removed. Temporary files of live processes (writes in
    /// progress) are left alone.
    /// </summary>
    internal static int RemoveStaleTemporaries(string dir, string name)
    {
        int removed = 0;
        string prefix = "." + name + ".";
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(dir, prefix + "*" + Suffix).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
        foreach (string file in candidates)
        {
            string middle = Path.GetFileName(file)[prefix.Length..^Suffix.Length];   // "{pid}.{guid}"
            var parts = middle.Split('.');
            if (parts.Length != 2 || parts[1].Length != 32 || !parts[1].All(char.IsAsciiHexDigit)
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (pid == Environment.ProcessId || OwnerIsAlive(pid, file)) continue;
            if (TryDelete(file)) removed++;
        }
        return removed;
    }

    private static bool OwnerIsAlive(int pid, string file)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            if (p.HasExited) return false;
            // A process that started after the temporary file was last written cannot own it (the pid was reused).
            return p.StartTime.ToUniversalTime() <= File.GetLastWriteTimeUtc(file).AddSeconds(1);
        }
        catch (ArgumentException) { return false; }                 // no such process
        catch (InvalidOperationException) { return false; }         // it exited meanwhile
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or NotSupportedException or UnauthorizedAccessException)
        {
            return true;   // cannot tell: keep the file
        }
    }

    private static bool TryDelete(string file)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    // Once per process: on a termination signal, remove the temporary files of the writes in progress.
    private static void HookTerminationSignals()
    {
        if (Volatile.Read(ref _registrations) is not null) return;
        lock (HookLock)
        {
            if (_registrations is not null) return;
            var list = new List<PosixSignalRegistration>();
            if (!OperatingSystem.IsBrowser() && !OperatingSystem.IsWasi() && !OperatingSystem.IsAndroid() && !OperatingSystem.IsIOS()
                && !OperatingSystem.IsTvOS())
            {
                foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGHUP })
                {
                    // Another handler may cancel the signal (a Ctrl-C that stops training gracefully): then the process
                    // goes on, and a write in progress writes its temporary file again (see Write).
                    try { list.Add(PosixSignalRegistration.Create(signal, _ => RemoveInFlight())); }
                    catch (PlatformNotSupportedException) { }
                }
            }
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveInFlight();
            Volatile.Write(ref _registrations, list);
        }
    }

    private static void RemoveInFlight()
    {
        foreach (string tmp in InFlight.Keys) TryDelete(tmp);
    }
}
