namespace Dendrite.Training;

/// <summary>Inputs, targets and optional sample weights of equal length, checked once, sliced into batches.</summary>
internal sealed class DataSet
{
    public DataSet(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y, Tensor? sampleWeight, string what)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Count == 0) throw new ArgumentException($"{what}: no input arrays were given.", nameof(x));
        for (int i = 0; i < x.Count; i++)
            if (x[i] is null) throw new ArgumentNullException(nameof(x), $"{what}: {(x.Count == 1 ? "x" : $"x[{i}]")} is null.");
        if (y is not null)
            for (int i = 0; i < y.Count; i++)
                if (y[i] is null) throw new ArgumentNullException(nameof(y), $"{what}: {(y.Count == 1 ? "y" : $"y[{i}]")} is null.");
        Count = Rows(x[0], "x");
        for (int i = 0; i < x.Count; i++) CheckRows(x[i], i == 0 ? "x" : $"x[{i}]", what);
        if (y is not null) for (int i = 0; i < y.Count; i++) CheckRows(y[i], y.Count == 1 ? "y" : $"y[{i}]", what);
        if (sampleWeight is not null) CheckRows(sampleWeight, "sampleWeight", what);
        X = x;
        Y = y;
        SampleWeight = sampleWeight;
        What = what;
    }

    /// <summary>The method the data was given to ("Fit", "Predict", ...), for error messages.</summary>
    public string What { get; }

    /// <summary>The input arrays, whole (a view made by <see cref="Range"/> shares its parent's; see <see cref="Offset"/>).</summary>
    public IReadOnlyList<Tensor> X { get; private set; }
    /// <summary>The target arrays, whole, or null for Predict.</summary>
    public IReadOnlyList<Tensor>? Y { get; }
    /// <summary>The per-sample weights, whole, or null.</summary>
    public Tensor? SampleWeight { get; }
    /// <summary>The number of samples in this data set (rows Offset.. of the arrays).</summary>
    public int Count { get; }

    private static int Rows(Tensor t, string name) =>
        t.Rank == 0 ? throw new ArgumentException($"{name} must have a batch axis, got a scalar.") : t.Shape[0];

    private void CheckRows(Tensor t, string name, string what)
    {
        int n = Rows(t, name);
        if (n != Count) throw new ArgumentException($"{what}: x has {Count} samples but {name} has {n}; they must have the same number of samples.");
    }

    /// <summary>
    /// Keras 3's rank adjustment (<c>Functional._adjust_input_rank</c>): an input one axis short of the model's, whose
    /// declared last axis is 1, gets that axis (x of shape (n,) into an input (1,)); an input with one extra trailing axis
    /// of length 1 loses it. Other ranks are left for the shape check to report. Reshapes are views (no copy).
    /// </summary>
    public void AdjustInputRanks(IReadOnlyList<Shape> expected)
    {
        if (expected.Count != X.Count) return;
        var adjusted = X.ToArray();
        for (int i = 0; i < adjusted.Length; i++)
        {
            var t = adjusted[i];
            int rank = t.Rank - 1, want = expected[i].Rank;
            if (rank == want - 1 && want > 0 && expected[i][want - 1] == 1) adjusted[i] = Ops.Reshape(t, [.. t.Shape.ToArray(), 1]);
            else if (rank == want + 1 && t.Shape[^1] == 1) adjusted[i] = Ops.Reshape(t, t.Shape.ToArray()[..^1]);
        }
        X = adjusted;
    }

    /// <summary>Throws if any value is NaN or infinite, naming the array and the sample. An array found finite and not
    /// written since (its <c>Version</c>: <c>AsSpan</c>, the indexer) is not scanned again: a Fit called once per epoch
    /// scanned W1's 123 MB every time (2-4 ms of a ~270 ms epoch), and a validation split scanned its rows twice.</summary>
    public void CheckFinite(string what)
    {
        void Check(Tensor t, string name)
        {
            if (t.KnownFinite) return;
            int version = t.Version;
            if (AllFinite(t)) { t.NoteFinite(version); return; }
            var s = t.AsSpan();
            int width = Math.Max(1, t.Size / Math.Max(1, t.Shape[0]));
            for (int i = 0; i < s.Length; i++)
                if (!float.IsFinite(s[i]))
                    throw new ArgumentException($"{what}: {name} contains {(float.IsNaN(s[i]) ? "NaN" : "an infinite value")} at sample {i / width}; clean or impute the data first.");
        }
        for (int i = 0; i < X.Count; i++) Check(X[i], X.Count == 1 ? "x" : $"x[{i}]");
        if (Y is not null) for (int i = 0; i < Y.Count; i++) Check(Y[i], Y.Count == 1 ? "y" : $"y[{i}]");
        if (SampleWeight is not null) Check(SampleWeight, "sampleWeight");
    }

    /// <summary>True when no value is NaN or infinite (one vectorised pass, <see cref="Backends.Cpu.Kernels.SpanMath.AllFinite"/>,
    /// split among the worker pool's threads for large arrays: <c>Fit</c> checks its whole data on every call, W1's
    /// 123 MB in ~4.4 ms on one thread).</summary>
    public static unsafe bool AllFinite(Tensor t)
    {
        var s = new ReadOnlySpan<float>(t.Data, 0, t.Size);   // a read: the version stays
        int parts = s.Length < FiniteSplitMin ? 1 : Backends.Cpu.PartedLoop.Parts(s.Length / FiniteJob.Block, FiniteJob.Block);
        if (parts <= 1) return Backends.Cpu.Kernels.SpanMath.AllFinite(s);
        var job = Backends.Cpu.JobCache<FiniteJob>.TakeSpare() ?? new FiniteJob();
        try
        {
            fixed (float* p = s)
            {
                job.Set(p, s.Length);
                Backends.Cpu.WorkerPool.Run(job, parts);
            }
            return !job.Bad;
        }
        finally { Backends.Cpu.JobCache<FiniteJob>.Return(job); }
    }

    /// <summary>Arrays shorter than this (4 MB) are checked on the calling thread: the split's hand-off costs more than it saves.</summary>
    private const int FiniteSplitMin = 1 << 20;

    /// <summary>The parts of <see cref="AllFinite"/>: each claims chunks of <see cref="Chunk"/> floats (the last one also
    /// the remainder) until none is left, so a thread that comes late (the worker that the first check of a process
    /// starts, ~1 ms after it is created here; one the OS has descheduled) takes a share of what is left, not a fixed
    /// half. A class of its own (not a generic job over a state struct), so that the ReadyToRun image has its code.</summary>
    internal sealed unsafe class FiniteJob : Backends.Cpu.IParallelJob
    {
        /// <summary>Floats per unit of the split (16 KB).</summary>
        public const int Block = 4096;

        /// <summary>Floats per claimed chunk (1 MB: ~50-70 us of scanning).</summary>
        public const int Chunk = 64 * Block;

        private float* _data;
        private int _length, _bad, _next;

        /// <summary>Whether a part found a NaN or an infinity.</summary>
        public bool Bad => Volatile.Read(ref _bad) != 0;

        public void Set(float* data, int length)
        {
            _data = data;
            _length = length;
            _bad = 0;
            _next = 0;
        }

        public void Execute(int part, int parts)
        {
            int chunks = Math.Max(1, _length / Chunk);
            for (int c = Interlocked.Increment(ref _next) - 1; c < chunks && !Bad; c = Interlocked.Increment(ref _next) - 1)
            {
                long start = (long)c * Chunk, end = c == chunks - 1 ? _length : start + Chunk;
                if (!Backends.Cpu.Kernels.SpanMath.AllFinite(new ReadOnlySpan<float>(_data + start, (int)(end - start)))) Volatile.Write(ref _bad, 1);
            }
        }
    }

    /// <summary>
    /// The first row of this data set in the arrays <see cref="X"/>, <see cref="Y"/> and <see cref="SampleWeight"/>:
    /// a data set made by <see cref="Range"/> is a view of rows [Offset, Offset + Count) of its parent's arrays.
    /// </summary>
    public int Offset { get; private init; }

    /// <summary>
    /// Rows [start, start + count) of this data set as a view over the same arrays: nothing is copied (a validation split
    /// of a large array costs no memory). Code that indexes <see cref="X"/> by row adds <see cref="Offset"/>; batches to
    /// run come from <see cref="Batch"/>.
    /// </summary>
    public DataSet Range(int start, int count)
    {
        if (start < 0 || count < 0 || start > Count - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows {start}..{start + count} are outside the {Count} rows of the data.");
        return new DataSet(this, Offset + start, count);
    }

    private DataSet(DataSet parent, int offset, int count)
    {
        X = parent.X;
        Y = parent.Y;
        SampleWeight = parent.SampleWeight;
        What = parent.What;
        Offset = offset;
        Count = count;
    }

    /// <summary>The rows of this data set as indices into the arrays: Offset, Offset + 1, ..., Offset + Count - 1.</summary>
    public int[] Offsets() => Rows(Offset, Count);

    /// <summary>Rows [start, start + count) of this data set copied into tensors of their own (from the pool inside a scope).</summary>
    public DataSet Batch(int start, int count) => Take(Rows(Offset + start, count));

    /// <summary>start, start + 1, ..., start + count - 1 (a loop: <c>Enumerable.Range(..).ToArray()</c> is compiled in
    /// every fresh process on the way to its first training step).</summary>
    internal static int[] Rows(int start, int count)
    {
        var rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = start + i;
        return rows;
    }

    /// <summary>The given rows of the arrays (indices into <see cref="X"/>, i.e. including <see cref="Offset"/>), copied.</summary>
    public DataSet Take(int[] rows) => new(
        X.Select(t => Ops.Gather(t, rows)).ToList(),
        Y?.Select(t => Ops.Gather(t, rows)).ToList(),
        SampleWeight is null ? null : Ops.Gather(SampleWeight, rows), "batch");
}
