using System.Collections;

namespace Dendrite.Data;

/// <summary>
/// Batch sources for <c>Model.Fit</c>, <c>Evaluate</c> and <c>Predict</c> over batches (Keras's <c>tf.data.Dataset</c>
/// or <c>PyDataset</c> role): any <c>IEnumerable&lt;(Tensor X, Tensor Y)&gt;</c> or <c>IAsyncEnumerable</c> works, and these
/// helpers build the common ones. Each source is re-enumerable (one pass per epoch) and knows its length, so the
/// progress bar shows the step count from the first epoch.
/// </summary>
public static class Batches
{
    /// <summary>
    /// Batches of <paramref name="batchSize"/> rows of in-memory arrays (the last one may be shorter), in order, or in a
    /// new order each enumeration with <paramref name="shuffle"/> (seeded by <paramref name="seed"/>, else by a number
    /// drawn from <see cref="RandomState.Global"/> now, so <c>Utils.SetRandomSeed</c> makes runs repeatable). Inside a
    /// source that Fit prefetches (an iterator that reads files, say) give a <paramref name="seed"/>: that code runs on a
    /// background task, and the global generator belongs to the training thread.
    /// </summary>
    public static IReadOnlyCollection<(Tensor X, Tensor Y)> FromArrays(ArrayLike x, ArrayLike y, int batchSize = 32, bool shuffle = false, int? seed = null)
    {
        var xt = x.Tensor;
        var yt = y.Tensor;
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be positive, got {batchSize}.");
        if (xt.Rank == 0) throw new ArgumentException($"x must have a batch axis, got a scalar.", nameof(x));
        if (yt.Rank == 0) throw new ArgumentException($"y must have a batch axis, got a scalar.", nameof(y));
        if (xt.Shape[0] != yt.Shape[0])
            throw new ArgumentException($"x has {xt.Shape[0]} samples but y has {yt.Shape[0]}; they must have the same number of samples.", nameof(y));
        long seedValue = seed ?? (shuffle ? (long)(RandomState.Global.NextUInt64() >> 1) : 0);
        return new ArrayBatches(xt, yt, batchSize, shuffle, seedValue);
    }

    /// <summary>
    /// <paramref name="count"/> batches made on demand by <paramref name="batch"/>(0), (1), ... in each enumeration
    /// (Keras's <c>PyDataset.__getitem__</c>): e.g. read batch i from files on disk. With prefetch (Fit's default) the
    /// function runs on a background task, ahead of training.
    /// </summary>
    public static IReadOnlyCollection<(Tensor X, Tensor Y)> FromGenerator(int count, Func<int, (Tensor X, Tensor Y)> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be non-negative, got {count}.");
        return new GeneratedBatches(count, batch);
    }

    private sealed class ArrayBatches(Tensor x, Tensor y, int batchSize, bool shuffle, long seed) : IReadOnlyCollection<(Tensor X, Tensor Y)>
    {
        private readonly RandomGenerator _random = new(seed);
        private readonly Lock _lock = new();

        public int Count => Models.Model.StepCount(x.Shape[0], batchSize);

        public IEnumerator<(Tensor X, Tensor Y)> GetEnumerator()
        {
            int n = x.Shape[0];
            int[]? order = null;
            if (shuffle)
            {
                order = new int[n];
                for (int i = 0; i < n; i++) order[i] = i;
                lock (_lock) _random.Shuffle(order.AsSpan());   // each enumeration (epoch) takes the next order
            }
            return Enumerate(n, order);
        }

        private IEnumerator<(Tensor X, Tensor Y)> Enumerate(int n, int[]? order)
        {
            for (int start = 0; start < n; start += batchSize)
            {
                int count = Math.Min(batchSize, n - start);
                if (order is null) yield return (Ops.Slice(x, 0, start, count), Ops.Slice(y, 0, start, count));
                else
                {
                    var rows = order.AsSpan(start, count).ToArray();
                    yield return (Ops.Gather(x, rows), Ops.Gather(y, rows));
                }
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class GeneratedBatches(int count, Func<int, (Tensor X, Tensor Y)> batch) : IReadOnlyCollection<(Tensor X, Tensor Y)>
    {
        public int Count => count;

        public IEnumerator<(Tensor X, Tensor Y)> GetEnumerator()
        {
            for (int i = 0; i < count; i++) yield return batch(i);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
