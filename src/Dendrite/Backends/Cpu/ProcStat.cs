using Microsoft.Win32.SafeHandles;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// How crowded the machine's cores are right now, from Linux's <c>/proc/stat</c>: its <c>procs_running</c> line (threads
/// running or waiting for a core, on the whole machine, this process's included) against its <c>cpuN</c> lines (the
/// machine's cores: inside a container limited to fewer cores the file still shows the host's, and so does the count).
/// Read into a buffer kept for the process: no allocation after the first call.
/// </summary>
internal static class ProcStat
{
    private static SafeFileHandle? _handle;
    private static byte[] _buffer = new byte[8192];
    private static bool _failed;
    private static readonly object Gate = new();

    /// <summary>The machine's runnable threads and cores now, or null where unknown (the file missing or unreadable:
    /// other systems).</summary>
    public static (int Running, int Cores)? Load()
    {
        if (_failed || !OperatingSystem.IsLinux()) return null;
        lock (Gate)
        {
            try
            {
                _handle ??= File.OpenHandle("/proc/stat");
                int read = RandomAccess.Read(_handle, _buffer, 0);
                // A machine with many cores has a long file: read it whole once into a larger buffer (once only).
                if (read == _buffer.Length && _buffer.Length < 1 << 20)
                {
                    _buffer = new byte[_buffer.Length * 8];
                    read = RandomAccess.Read(_handle, _buffer, 0);
                }
                var stat = _buffer.AsSpan(0, read);
                int running = Parse(stat), cores = Cores(stat);
                return running < 0 || cores < 1 ? null : (running, cores);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _failed = true;
                return null;
            }
        }
    }

    /// <summary>The lines of <paramref name="stat"/> that start with <c>cpu</c> and a digit: one per core.</summary>
    internal static int Cores(ReadOnlySpan<byte> stat)
    {
        int cores = 0;
        for (int at; (at = stat.IndexOf("\ncpu"u8)) >= 0; stat = stat[(at + 4)..])
            if (at + 4 < stat.Length && stat[at + 4] is >= (byte)'0' and <= (byte)'9') cores++;
        return cores;
    }

    /// <summary>The number after <c>procs_running </c> at the start of a line of <paramref name="stat"/>, or -1.</summary>
    internal static int Parse(ReadOnlySpan<byte> stat)
    {
        ReadOnlySpan<byte> key = "\nprocs_running "u8;
        int at = stat.IndexOf(key);
        if (at < 0) return -1;
        int value = 0, digits = 0;
        for (int i = at + key.Length; i < stat.Length && stat[i] is >= (byte)'0' and <= (byte)'9' && digits < 9; i++, digits++)
            value = value * 10 + (stat[i] - '0');
        return digits > 0 ? value : -1;
    }
}
