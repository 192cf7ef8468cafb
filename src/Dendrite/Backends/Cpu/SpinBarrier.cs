using System.Diagnostics;

namespace Dendrite.Backends.Cpu;

/// <summary>A sense-reversing barrier for the parts of one parallel job (they all run at once): a short spin, then a
/// block, so that a part whose partner the OS has descheduled gives the core back instead of spinning out its slice.</summary>
internal sealed class SpinBarrier
{
    private readonly object _lock = new();
    private int _arrived, _sense, _sleepers;

    /// <summary>Readies the barrier for a new job (only while no part waits on it).</summary>
    public void Reset() => (_arrived, _sense, _sleepers) = (0, 0, 0);

    /// <summary>Waits until all <paramref name="parts"/> have arrived; <paramref name="localSense"/> is the caller's own flag, starting at 0.</summary>
    public void Wait(int parts, ref int localSense)
    {
        if (parts <= 1) return;
        localSense ^= 1;
        if (Interlocked.Increment(ref _arrived) == parts)
        {
            _arrived = 0;
            Interlocked.Exchange(ref _sense, localSense);
            if (Volatile.Read(ref _sleepers) != 0)
                lock (_lock) Monitor.PulseAll(_lock);
            return;
        }
        for (long until = Spin.Deadline(); Stopwatch.GetTimestamp() < until;)
        {
            if (Volatile.Read(ref _sense) == localSense) return;
            Thread.SpinWait(8);
        }
        long start = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            Interlocked.Increment(ref _sleepers);
            while (Volatile.Read(ref _sense) != localSense) Monitor.Wait(_lock);
            Interlocked.Decrement(ref _sleepers);
        }
        if (Stopwatch.GetTimestamp() - start > BusyMachine.LateTicks) BusyMachine.NoteLate();
    }
}
