using System.Collections.Concurrent;

namespace Dendrite;

/// <summary>
/// Reuses float buffers by exact length, so that repeating ops of the same shapes (a training loop) stops
/// allocating new large arrays. Buffers come back through a <see cref="TensorScope"/>.
/// </summary>
internal static class TensorPool
{
    // Small arrays are cheap for the GC; pooling pays from a few KB (and matters a lot on the LOH).
    internal const int MinPooledLength = 256;
    private const int MaxPerLength = 64;
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Buckets = new();

    /// <summary>A buffer of exactly <paramref name="length"/> floats; contents are arbitrary when <paramref name="clear"/> is false.</summary>
    public static float[] Rent(int length, bool clear)
    {
        if (length >= MinPooledLength && Buckets.TryGetValue(length, out var bag) && bag.TryTake(out var arr))
        {
            if (clear) Array.Clear(arr);
            return arr;
        }
        return Backends.Cpu.FreshPages.NewArray(length, clear);
    }

    /// <summary>Gives a buffer back; it must no longer be referenced by a live tensor.</summary>
    public static void Return(float[] array)
    {
        if (array.Length < MinPooledLength) return;
        var bag = Buckets.GetOrAdd(array.Length, static _ => new ConcurrentBag<float[]>());
        if (bag.Count < MaxPerLength) bag.Add(array);
    }
}
