using System.Diagnostics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Notices when other programs keep the cores busy: a worker that was awake did not join a job within microseconds,
/// or a thread waited far longer for a partner than the work explains (the OS had descheduled it). The pool then runs
/// jobs on the calling thread alone for a while (20 ms, doubling while it keeps happening, up to 1 s), and tries its
/// workers again after that: on a loaded machine one thread that never waits beats two that wait for each other's
/// time slices, and on a quiet machine this almost never triggers.
/// </summary>
internal static class BusyMachine
{
    private static readonly long BaseTicks = Stopwatch.Frequency / 50, MaxTicks = Stopwatch.Frequency, ResetTicks = 2 * Stopwatch.Frequency;

    /// <summary>A wait for a partner longer than this (beyond what the work explains) means the partner was descheduled.</summary>
    internal static readonly long LateTicks = Stopwatch.Frequency / 3333; // 0.3 ms

    private static long _soloUntil, _lastLate, _soloTicks = BaseTicks;

    /// <summary>Whether jobs run on the calling thread alone for now.</summary>
    public static bool Solo => Stopwatch.GetTimestamp() < Volatile.Read(ref _soloUntil);

    /// <summary>Records a partner that came late: solo for a while, longer when the last one was recent.</summary>
    public static void NoteLate()
    {
        long now = Stopwatch.GetTimestamp();
        long ticks = now - Volatile.Read(ref _lastLate) > ResetTicks ? BaseTicks : Math.Min(2 * Volatile.Read(ref _soloTicks), MaxTicks);
        Volatile.Write(ref _soloTicks, ticks);
        Volatile.Write(ref _lastLate, now);
        Volatile.Write(ref _soloUntil, now + ticks);
    }

    /// <summary>Forgets what was noticed (tests).</summary>
    internal static void Reset()
    {
        Volatile.Write(ref _soloUntil, 0);
        Volatile.Write(ref _lastLate, 0);
        Volatile.Write(ref _soloTicks, BaseTicks);
    }
}
