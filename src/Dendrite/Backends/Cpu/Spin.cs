using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>Busy-waiting for the few microseconds kernel threads wait on each other: pause instructions first, and a
/// yield to the OS only after a long wait (so an oversubscribed machine still makes progress).</summary>
internal struct Spin
{
    private int _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Once()
    {
        if (++_count < 20_000) Thread.SpinWait(8);
        else { Thread.Yield(); _count = 15_000; }
    }
}
