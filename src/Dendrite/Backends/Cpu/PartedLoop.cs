namespace Dendrite.Backends.Cpu;

/// <summary>
/// Splits a loop over items (batch samples, rows) into contiguous parts run on <see cref="WorkerPool"/>; small loops run
/// inline. Reductions size their per-part partial buffers with <see cref="Parts"/> before calling <see cref="Run"/>.
/// </summary>
internal static class PartedLoop
{
    private const long MinWorkPerPart = 1 << 14;

    /// <summary>How many parts a loop of <paramref name="count"/> items of <paramref name="workPerItem"/> floats each gets.</summary>
    public static int Parts(int count, long workPerItem)
    {
        long total = count * Math.Max(1, workPerItem);
        int parts = (int)Math.Min(Math.Min(count, Settings.Threads), Math.Max(1, total / MinWorkPerPart));
        return Math.Max(1, Math.Min(parts, Environment.ProcessorCount));
    }

    /// <summary>Runs body(lo, hi, part) for <paramref name="parts"/> contiguous ranges of [0, count).</summary>
    public static void Run(int count, int parts, Action<int, int, int> body)
    {
        if (parts <= 1) { body(0, count, 0); return; }
        var job = JobCache<Job>.TakeSpare() ?? new Job();
        job.Body = body;
        job.Count = count;
        job.Parts = parts;
        try { WorkerPool.Run(job, parts); }
        finally
        {
            job.Body = null;
            JobCache<Job>.Return(job);
        }
    }

    /// <summary>Runs body(lo, hi, part, state) as <see cref="Run(int, int, Action{int, int, int})"/> does, allocating
    /// nothing when <paramref name="body"/> is a static lambda (its data travels in <paramref name="state"/>). Make the
    /// state a named struct, not a tuple of tensors: <c>Job&lt;TState&gt;</c> over a tuple with reference-type fields is
    /// shared generic code that crossgen2 does not precompile, so its <c>Execute</c> would be jitted at the first call.</summary>
    public static void Run<TState>(int count, int parts, TState state, Action<int, int, int, TState> body)
    {
        if (parts <= 1) { body(0, count, 0, state); return; }
        var job = JobCache<Job<TState>>.TakeSpare() ?? new Job<TState>();
        job.Body = body;
        job.State = state;
        job.Count = count;
        job.Parts = parts;
        try { WorkerPool.Run(job, parts); }
        finally
        {
            job.Body = null;
            job.State = default!;
            JobCache<Job<TState>>.Return(job);
        }
    }

    /// <summary>Runs body(from, to, state) over [0, <paramref name="count"/>) split among up to <see cref="Settings.Threads"/>
    /// parts whose bounds are multiples of <paramref name="block"/>: with a block of whole vectors, every part but the
    /// last is whole vectors, so each value takes the path (vector body or scalar tail) it takes in one pass over the
    /// whole range, and gets the same bits.</summary>
    public static void RunBlocks<TState>(int count, int block, TState state, Action<int, int, TState> body)
    {
        int blocks = (count + block - 1) / block;
        Run(blocks, Math.Min(Settings.Threads, blocks), new Blocks<TState>(body, state, count, block), static (lo, hi, _, s) =>
            s.Body(lo * s.Block, Math.Min(s.Count, hi * s.Block), s.State));
    }

    /// <summary><see cref="RunBlocks"/>'s body and bounds carried as a parted loop's state (a named struct: see
    /// <see cref="Run{TState}"/>).</summary>
    private readonly struct Blocks<TState>(Action<int, int, TState> body, TState state, int count, int block)
    {
        public readonly Action<int, int, TState> Body = body;
        public readonly TState State = state;
        public readonly int Count = count, Block = block;
    }

    private sealed class Job<TState> : IParallelJob
    {
        public Action<int, int, int, TState>? Body;
        public TState State = default!;
        public int Count, Parts;

        public void Execute(int part, int parts)
        {
            int lo = part * Parts / parts, hi = (part + 1) * Parts / parts;
            for (int p = lo; p < hi; p++)
                Body!((int)((long)Count * p / Parts), (int)((long)Count * (p + 1) / Parts), p, State);
        }
    }

    private sealed class Job : IParallelJob
    {
        public Action<int, int, int>? Body;
        public int Count, Parts;

        // The pool may run the whole job inline as one part; the ranges then follow the requested part count.
        public void Execute(int part, int parts)
        {
            int lo = part * Parts / parts, hi = (part + 1) * Parts / parts;
            for (int p = lo; p < hi; p++)
                Body!((int)((long)Count * p / Parts), (int)((long)Count * (p + 1) / Parts), p);
        }
    }
}
