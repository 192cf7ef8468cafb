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
    private static readonly ConcurrentDictionary<int, Bucket> Buckets = new();

    /// <summary>The buffers of one length: a bag (each thread takes back its own first) and their count, kept apart
    /// because <see cref="ConcurrentBag{T}.Count"/> freezes the bag, taking every thread's lock (~80 ns a return here,
    /// and the other thread's adds and takes wait meanwhile).</summary>
    private sealed class Bucket
    {
        public readonly ConcurrentBag<float[]> Bag = new();
        public int Count;
    }

    /// <summary>A buffer of exactly <paramref name="length"/> floats; contents are arbitrary when <paramref name="clear"/> is false.</summary>
    public static float[] Rent(int length, bool clear)
    {
        if (length >= MinPooledLength && Buckets.TryGetValue(length, out var bucket) && bucket.Bag.TryTake(out var arr))
        {
            Interlocked.Decrement(ref bucket.Count);
            if (clear) Array.Clear(arr);
            return arr;
        }
        return Backends.Cpu.FreshPages.NewArray(length, clear);
    }

    /// <summary>Gives a buffer back; it must no longer be referenced by a live tensor. At most <see cref="MaxPerLength"/>
    /// of a length are kept (a bound that concurrent returns may pass by a few).</summary>
    public static void Return(float[] array)
    {
        if (array.Length < MinPooledLength) return;
        var bucket = Buckets.GetOrAdd(array.Length, static _ => new Bucket());
        if (Volatile.Read(ref bucket.Count) >= MaxPerLength) return;
        Interlocked.Increment(ref bucket.Count);
        bucket.Bag.Add(array);
    }
}
