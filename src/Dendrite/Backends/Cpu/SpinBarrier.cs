namespace Dendrite.Backends.Cpu;

/// <summary>A sense-reversing spin barrier for the parts of one parallel job (they all run at once).</summary>
internal sealed class SpinBarrier
{
    private int _arrived, _sense;

    /// <summary>Readies the barrier for a new job (only while no part waits on it).</summary>
    public void Reset() => (_arrived, _sense) = (0, 0);

    /// <summary>Waits until all <paramref name="parts"/> have arrived; <paramref name="localSense"/> is the caller's own flag, starting at 0.</summary>
    public void Wait(int parts, ref int localSense)
    {
        if (parts <= 1) return;
        localSense ^= 1;
        if (Interlocked.Increment(ref _arrived) == parts)
        {
            _arrived = 0;
            Volatile.Write(ref _sense, localSense);
            return;
        }
        var spin = new Spin();
        while (Volatile.Read(ref _sense) != localSense) spin.Once();
    }
}
