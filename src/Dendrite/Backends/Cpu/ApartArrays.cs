namespace Dendrite.Backends.Cpu;

/// <summary>
/// New arrays placed so that their starts lie well apart, modulo 4 KB, from the arrays they are streamed beside: an
/// optimizer update reads and writes a weight, its gradient and its slots element by element, and when two of them
/// start at nearly the same address bits 0-11 the loads of one wait on the stores of the other (4K aliasing). Arrays
/// allocated one after another whose size is a whole number of pages (W2's 784x256 kernel: 196 pages) start a few
/// dozen bytes apart modulo 4 KB. Measured here (Adam over four arrays of W2's first-kernel size, two threads): starts
/// within ~24 bytes of each other 39.8-41.3 us, ~1 KB apart 31.0-31.2 us; in the step, with the gradient buffers and
/// slots placed by this class, the update took 50-55 us against 74-78 (W2), 133-148 against 174-202 (W1) and 76
/// against 83 (W7), fresh processes alternating. The placement is a best effort: where the pinned heap hands out
/// holes (a process that freed many pinned arrays), the tries may all land close, and the last one is kept.
/// </summary>
internal static unsafe class ApartArrays
{
    /// <summary>Below this many floats the arrays are left where they fall.</summary>
    internal const int MinLength = 16 * 1024;

    /// <summary>Above this many floats (4 MB) the arrays are left where they fall: the tries hold up to eight times the
    /// array's size until a collection (rejected arrays and fillers), usually one or two.</summary>
    internal const int MaxLength = 1 << 20;

    /// <summary>Starts closer than this (modulo 4 KB) count as aliasing.</summary>
    internal const int MinApart = 512;

    /// <summary>Off: arrays are left where they fall (tests).</summary>
    internal static bool Enabled = true;

    /// <summary>
    /// A zeroed array of <paramref name="length"/> floats whose start is, when the heap allows it, at least
    /// <see cref="MinApart"/> bytes (modulo 4 KB) from each of <paramref name="others"/>' starts. Pinned, so that its
    /// address stays; when one falls too close, a filler as large as it plus 1 KB moves the next one on by ~1 KB modulo
    /// 4 KB (a smaller filler, 64 KB, went into a hole elsewhere in some processes and moved nothing). Four tries.
    /// </summary>
    public static float[] NewArray(int length, ReadOnlySpan<float[]?> others)
    {
        if (length < MinLength || length > MaxLength || !Enabled) return new float[length];
        var a = GC.AllocateArray<float>(length, pinned: true);
        // The rejected arrays and the fillers stay alive until the loop ends: freed by a collection meanwhile, their
        // space would be handed out again, at the same address.
        var rejected = new object?[8];
        for (int attempt = 0; attempt < 4 && Closest(a, others) < MinApart; attempt++)
        {
            rejected[2 * attempt] = a;
            rejected[2 * attempt + 1] = GC.AllocateUninitializedArray<byte>(length * sizeof(float) + 1024, pinned: true);
            a = GC.AllocateArray<float>(length, pinned: true);
        }
        GC.KeepAlive(rejected);
        return a;
    }

    /// <summary>The smallest distance, modulo 4 KB, between <paramref name="a"/>'s start and the others' (4096 when
    /// there are none).</summary>
    internal static int Closest(float[] a, ReadOnlySpan<float[]?> others)
    {
        int best = 4096;
        fixed (float* pa = a)
            foreach (var o in others)
            {
                if (o is null || o.Length == 0) continue;
                fixed (float* po = o)
                {
                    int d = (int)(((long)pa - (long)po) & 4095);
                    best = Math.Min(best, Math.Min(d, 4096 - d));
                }
            }
        return best;
    }
}
