using System.Diagnostics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Notices when other programs keep the cores busy: a worker that was awake did not join a job within microseconds,
/// or a thread waited far longer for a partner than the work explains (the OS had descheduled it). When that happens
/// <see cref="LateEventsToGoSolo"/> times within <see cref="WindowTicks"/>, the pool runs jobs on the calling thread
/// alone for a while (20 ms, doubling while it keeps happening, up to 1 s), and tries its workers again after that: on a
/// loaded machine one thread that never waits beats two that wait for each other's time slices. A single late partner
/// is not enough: on a quiet machine a garbage collection, the JIT's background compiler or a timer interrupt makes
/// one now and then, and going solo on it cost a third of W1's prediction speed (the solo periods doubled up to 1 s).
/// </summary>
internal static class BusyMachine
{
    private static readonly long BaseTicks = Stopwatch.Frequency / 50, MaxTicks = Stopwatch.Frequency, ResetTicks = 2 * Stopwatch.Frequency;

    /// <summary>A wait for a partner longer than this (beyond what the work explains) means the partner was descheduled.</summary>
    internal static readonly long LateTicks = Stopwatch.Frequency / 3333; // 0.3 ms

    /// <summary>Late partners within <see cref="WindowTicks"/> that make the pool go solo (a loaded machine makes one
    /// every few jobs, a quiet one rarely two in a row).</summary>
    internal const int LateEventsToGoSolo = 3;

    /// <summary>The window in which <see cref="LateEventsToGoSolo"/> late partners must fall.</summary>
    private static readonly long WindowTicks = Stopwatch.Frequency / 20; // 50 ms

    private static long _soloUntil, _lastSolo, _soloTicks = BaseTicks, _windowStart;
    private static int _lateInWindow;

    /// <summary>Whether jobs run on the calling thread alone for now.</summary>
    public static bool Solo => Stopwatch.GetTimestamp() < Volatile.Read(ref _soloUntil);

    /// <summary>Records a partner that came late: after <see cref="LateEventsToGoSolo"/> of them within the window, solo
    /// for a while, longer when the last solo period was recent.</summary>
    public static void NoteLate()
    {
        long now = Stopwatch.GetTimestamp();
        if (now - Volatile.Read(ref _windowStart) > WindowTicks)
        {
            Volatile.Write(ref _windowStart, now);
            Volatile.Write(ref _lateInWindow, 0);
        }
        if (Interlocked.Increment(ref _lateInWindow) < LateEventsToGoSolo) return;
        Volatile.Write(ref _lateInWindow, 0);
        long ticks = now - Volatile.Read(ref _lastSolo) > ResetTicks ? BaseTicks : Math.Min(2 * Volatile.Read(ref _soloTicks), MaxTicks);
        Volatile.Write(ref _soloTicks, ticks);
        Volatile.Write(ref _lastSolo, now);
        Volatile.Write(ref _soloUntil, now + ticks);
    }

    /// <summary>Forgets what was noticed (tests).</summary>
    internal static void Reset()
    {
        Volatile.Write(ref _soloUntil, 0);
        Volatile.Write(ref _lastSolo, 0);
        Volatile.Write(ref _soloTicks, BaseTicks);
        Volatile.Write(ref _windowStart, 0);
        Volatile.Write(ref _lateInWindow, 0);
    }
}
