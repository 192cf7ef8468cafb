using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>Busy-waiting for the few microseconds kernel threads wait on each other: pause instructions first, and a
/// yield to the OS only after a long wait (so an oversubscribed machine still makes progress). Waits that can last
/// (a partner descheduled by the OS) spin until <see cref="Deadline"/> and then block instead.</summary>
internal struct Spin
{
    /// <summary>How long a wait that can block spins first: longer than the gaps between parts on a quiet machine, far
    /// shorter than the OS's time slice (a descheduled partner gets a core sooner when we block).</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20000; // 50 us

    /// <summary>The timestamp after which a wait starting now stops spinning and blocks.</summary>
    public static long Deadline() => Stopwatch.GetTimestamp() + SpinTicks;

    private int _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Once()
    {
        if (++_count < 2000) Thread.SpinWait(8);
        else { Thread.Yield(); _count = 1500; }
    }
}
