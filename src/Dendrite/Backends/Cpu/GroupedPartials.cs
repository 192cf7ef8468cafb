using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// A kernel gradient summed over a batch by several threads, in an order that timing cannot change: the work's units
/// (images, or chunks of output rows) are cut into groups of contiguous units, their number fixed by the unit count and
/// the planned parts alone; parts claim whole groups one at a time (a descheduled thread holds the others up by at most
/// one group), each group accumulates into a buffer of its own, and the buffers are added in group order. Claiming single
/// units into one partial per thread made the sum's order, and so its last bits, change from run to run.
/// </summary>
internal sealed unsafe class GroupedPartials
{
    // Groups per planned part: enough for a late part to find work left, few enough that adding them up stays cheap.
    // Measured on W5's four kernel gradients (batch 32, two threads, medians of 35 interleaved rounds): 2 per part costs
    // the same as 1 (209-1,038 us), 4 per part 1-5% more on the 64-filter layers (more buffers to fill and add).
    private const int GroupsPerPart = 2;

    private AlignedBuffer[] _buffers = [];
    private int _units, _groups, _next;

    // Kernels above this many floats get one group per part: their buffers are large (a 3x3x512x512 kernel is 9.4 MB
    // each) and their products long enough that a late part's share matters less.
    private const long LargeKernel = 1 << 18;

    /// <summary>The group count for this run (for a kernel gradient of <paramref name="length"/> floats); call before
    /// the parts start.</summary>
    public void Set(int units, int parts, long length)
    {
        _units = units;
        int perPart = length > LargeKernel ? 1 : GroupsPerPart;
        _groups = Math.Max(1, Math.Min(units, parts <= 1 ? 1 : perPart * parts));
        if (_buffers.Length < _groups)
        {
            var grown = new AlignedBuffer[_groups];
            _buffers.CopyTo(grown, 0);
            for (int g = _buffers.Length; g < grown.Length; g++) grown[g] = new AlignedBuffer();
            _buffers = grown;
        }
        _next = 0;
    }

    /// <summary>Claims the next group: its index and its units [first, end); false when none is left.</summary>
    public bool Claim(out int group, out int first, out int end)
    {
        group = Interlocked.Increment(ref _next) - 1;
        if (group >= _groups)
        {
            first = end = 0;
            return false;
        }
        first = (int)((long)group * _units / _groups);
        end = (int)((long)(group + 1) * _units / _groups);
        return true;
    }

    /// <summary>The group's buffer of <paramref name="length"/> floats (its contents undefined).</summary>
    public float* Buffer(int group, long length) => _buffers[group].Get(length);

    /// <summary>dk = beta dk + the groups' sums, added in group order.</summary>
    public void AddTo(float* dk, int length, float beta)
    {
        var d = new Span<float>(dk, length);
        if (beta == 0f) new ReadOnlySpan<float>(Buffer(0, length), length).CopyTo(d);
        else
        {
            if (beta != 1f) SpanMath.Multiply(d, beta, d);
            Kernels.SpanMath.Add(d, new ReadOnlySpan<float>(Buffer(0, length), length), d);
        }
        for (int g = 1; g < _groups; g++) Kernels.SpanMath.Add(d, new ReadOnlySpan<float>(Buffer(g, length), length), d);
    }
}
