using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Maps a new large buffer's memory in one system call, instead of one page fault per 4 KB page at its first write.
/// A fresh process's first training step writes every buffer the steady state reuses (gradients, optimizer slots, the
/// step's activations: 3.4 MB for W2) and pays a fault per page; on a virtual machine with shadow page tables that is
/// ~13 us a page, 12 ms of W2's first step. On Linux this asks the kernel to populate the pages up front
/// (<c>madvise(MADV_POPULATE_WRITE)</c>, Linux 5.14+): measured 40-45% less time for W2's buffers here, and a W4
/// process at the end of its first epoch 0.3 s sooner. The contents do not change: a fresh page reads as zeros either
/// way, and pages already mapped are left as they are. Elsewhere, when the call fails (an older kernel) or with
/// <c>DENDRITE_PREFAULT=0</c>, it does nothing. Transparent huge pages (<c>MADV_HUGEPAGE</c> first) measured faster
/// still on some runs, but one W4 process in three paid 0.7 s more, and W4's steady training was 2-5% slower on them,
/// so they are not asked for.
/// </summary>
internal static unsafe class FreshPages
{
    /// <summary>Buffers below this many bytes are left to fault page by page (a system call costs more than a few faults).</summary>
    internal const long MinBytes = 64 * 1024;

    private const long PageSize = 4096;
    private const int MadvPopulateWrite = 23;

    private static readonly delegate* unmanaged<void*, nuint, int, int> Madvise = Resolve();
    private static int _unsupported;

    /// <summary>Whether this process asks the kernel to populate new buffers (Linux, <c>madvise</c> found, not turned off,
    /// and no call has failed yet).</summary>
    internal static bool Enabled => Madvise != null && Volatile.Read(ref _unsupported) == 0;

    /// <summary>A new array of <paramref name="length"/> floats (zeros when <paramref name="clear"/>, else arbitrary) whose
    /// pages are mapped when it is large.</summary>
    public static float[] NewArray(int length, bool clear)
    {
        var array = clear ? new float[length] : GC.AllocateUninitializedArray<float>(length);
        Populate(array);
        return array;
    }

    /// <summary>Maps the pages of <paramref name="array"/> (when large); its contents are unchanged.</summary>
    public static void Populate(float[] array)
    {
        if (array.Length * (long)sizeof(float) < MinBytes || !Enabled) return;
        fixed (float* p = array) Populate(p, array.Length * (long)sizeof(float));
    }

    /// <summary>Maps the whole pages inside [<paramref name="start"/>, +<paramref name="bytes"/>); the partial pages at
    /// the ends, which may belong to neighbouring memory, are left to fault as usual.</summary>
    public static void Populate(void* start, long bytes)
    {
        if (bytes < MinBytes || !Enabled) return;
        long begin = (long)start, end = begin + bytes;
        long pageBegin = (begin + PageSize - 1) & ~(PageSize - 1), pageEnd = end & ~(PageSize - 1);
        if (pageEnd > pageBegin && Madvise((void*)pageBegin, (nuint)(pageEnd - pageBegin), MadvPopulateWrite) != 0)
            Volatile.Write(ref _unsupported, 1);   // EINVAL before Linux 5.14: stop asking
    }

    /// <summary>Pages a worker maps per unit of background work (<see cref="MapUnit"/>): one, ~7 us here, so that a job
    /// posted meanwhile finds the worker well within the pool's 25 us join window.</summary>
    internal const int PagesPerUnit = 1;

    private static readonly Queue<float[]> Pending = new();
    private static int _pendingCount;

    /// <summary>
    /// Maps <paramref name="array"/>'s pages soon, on an idle pool worker between jobs (<see cref="WorkerPool"/>), for a
    /// buffer that is allocated ahead of its first use: a model's gradient buffers and optimizer slots at the start of
    /// its first <c>Fit</c>, whose first step otherwise takes their page faults on the training thread. Nothing happens
    /// when the pages would not be populated anyway (small, not Linux, <c>DENDRITE_PREFAULT=0</c>) or there is no worker
    /// (one thread): then the first write maps them, as for any array. The contents do not change (only whole pages
    /// inside the array are populated, then read), so the caller may write to the array at any time.
    /// </summary>
    public static void MapSoon(float[] array)
    {
        if (array.Length * (long)sizeof(float) < MinBytes || !Enabled || WorkerPool.WorkerThreads < 1) return;
        bool first;
        lock (Pending)
        {
            first = Pending.Count == 0;
            Pending.Enqueue(array);
            Volatile.Write(ref _pendingCount, Pending.Count);
        }
        if (first) WorkerPool.WakeForBackground();   // a worker woken for the first array maps the ones queued after it
    }

    /// <summary>Whether arrays are waiting for <see cref="MapSoon"/>'s background mapping (a cheap check for idle workers).</summary>
    internal static bool HasPending => Volatile.Read(ref _pendingCount) != 0;

    /// <summary>The next array waiting to be mapped, or null.</summary>
    internal static float[]? TakePending()
    {
        if (!HasPending) return null;
        lock (Pending)
        {
            var a = Pending.Count > 0 ? Pending.Dequeue() : null;
            Volatile.Write(ref _pendingCount, Pending.Count);
            return a;
        }
    }

    /// <summary>
    /// One unit of background mapping: populates <see cref="PagesPerUnit"/> whole pages of <paramref name="array"/> from
    /// its <paramref name="unit"/>-th, then reads one value in each, which is what maps them for this process's user code
    /// on a virtual machine (the populate alone leaves ~5 us of the ~12 us fault to the first access). Returns false when
    /// the unit starts past the array's last whole page (nothing left to map).
    /// </summary>
    internal static bool MapUnit(float[] array, int unit)
    {
        fixed (float* p = array)
        {
            long begin = (long)p, end = begin + array.Length * (long)sizeof(float);
            long first = ((begin + PageSize - 1) & ~(PageSize - 1)) + unit * PagesPerUnit * PageSize;
            long last = Math.Min(first + PagesPerUnit * PageSize, end & ~(PageSize - 1));
            if (first >= last) return false;
            if (Madvise((void*)first, (nuint)(last - first), MadvPopulateWrite) != 0) return false;
            for (long a = first; a < last; a += PageSize) _ = Volatile.Read(ref *(float*)a);   // a volatile read is never elided
            return true;
        }
    }

    private static delegate* unmanaged<void*, nuint, int, int> Resolve()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("DENDRITE_PREFAULT") is "0" or "false") return null;
        foreach (var name in (ReadOnlySpan<string>)["libc.so.6", "libc"])
            if (NativeLibrary.TryLoad(name, out var lib) && NativeLibrary.TryGetExport(lib, "madvise", out var f))
                return (delegate* unmanaged<void*, nuint, int, int>)f;
        return null;
    }
}
