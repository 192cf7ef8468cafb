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

    /// <summary>
    /// The buffers of one length: a stack (the last buffer given back is the first taken, still warm in the cache) under
    /// its own lock, held for a few instructions. A <see cref="ConcurrentBag{T}"/> was used before: a thread that found
    /// its own list empty searched the other threads' lists, and the first such search of a process creates the
    /// runtime's event source for concurrent collections, 12-20 ms here, which fell on the first <c>Predict</c> (its
    /// threads give buffers back to each other's lists): W2's first prediction pass took 25 ms against 13 later.
    /// </summary>
    private sealed class Bucket
    {
        private readonly float[]?[] _items = new float[MaxPerLength][];
        private readonly Lock _lock = new();
        private int _count;

        public bool TryPop(out float[] array)
        {
            if (Volatile.Read(ref _count) != 0)
                lock (_lock)
                    if (_count != 0)
                    {
                        array = _items[--_count]!;
                        _items[_count] = null;
                        return true;
                    }
            array = null!;
            return false;
        }

        /// <summary>Keeps <paramref name="array"/> unless <see cref="MaxPerLength"/> are kept already.</summary>
        public void Push(float[] array)
        {
            lock (_lock)
                if (_count < MaxPerLength) _items[_count++] = array;
        }
    }

    /// <summary>A buffer of exactly <paramref name="length"/> floats; contents are arbitrary when <paramref name="clear"/> is false.</summary>
    public static float[] Rent(int length, bool clear)
    {
        if (length >= MinPooledLength && Buckets.TryGetValue(length, out var bucket) && bucket.TryPop(out var arr))
        {
            if (clear) Array.Clear(arr);
            return arr;
        }
        return Backends.Cpu.FreshPages.NewArray(length, clear);
    }

    /// <summary>Gives a buffer back; it must no longer be referenced by a live tensor. At most <see cref="MaxPerLength"/>
    /// of a length are kept.</summary>
    public static void Return(float[] array)
    {
        if (array.Length < MinPooledLength) return;
        Buckets.GetOrAdd(array.Length, static _ => new Bucket()).Push(array);
    }
}
