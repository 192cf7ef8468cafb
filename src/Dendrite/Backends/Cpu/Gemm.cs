using Dendrite.Backends.Cpu.Kernels;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Single-precision GEMM, row-major: C = alpha * op(A) * op(B) + beta * C, where op transposes when asked.
/// BLIS-style: op(B) is packed into KC x NR panels (cooperatively, into two buffers shared by the threads),
/// op(A) into MR x KC panels (per thread), and a register-tiled micro-kernel (AVX-512 8x32, AVX2 6x16, scalar 4x4)
/// runs over them. A block's work is cut into units (an M block against a group of panels); each thread takes its
/// own share's units from the front and, when done, other shares' from the back, then packs the next block's panels,
/// so a thread slowed by the machine holds the others up by at most one unit (one barrier per block).
/// </summary>
internal static unsafe partial class Gemm
{
    /// <summary>
    /// Block sizes: KC deep, MC rows of A, NC columns of B. A product with a long k revisits C once per KC; NC = 2048
    /// keeps the columns of C being accumulated (512 x 2048 floats, 4 MB) in the L3 between visits, where 4096 let
    /// them fall to memory. At 512x4096x4096, skipping the C reloads (a wrong product, as a measurement) gained 5-8%
    /// with NC = 4096 and about 1% with 2048; W4 training ran 0.4-3% faster in six alternating runs.
    /// </summary>
    internal const int KC = 512, MC = 128, NC = 2048;

    /// <summary>The micro-kernel used by default: 512, 256 or 0 (scalar), by what the processor supports.</summary>
    internal static int KernelBits { get; set; } =
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? 512 : Fma.IsSupported && Avx2.IsSupported ? 256 : 0;

    /// <summary>Below this many multiply-adds a single thread does the whole product.</summary>
    internal const long ParallelThreshold = 1L << 17;

    /// <summary>Multiply-adds from which A·B^T with few rows of A (the dot-product and transposed-panel paths) is split
    /// among threads.</summary>
    internal const long DotParallelThreshold = 1L << 19;

    /// <summary>
    /// The same for the packed path, whose threads meet at two barriers per block: measured here (GFLOP/s, one vs two
    /// threads), TN 200x150x32 65-72 vs 38-42, TN 256x128x64 107 vs 72, NT 64x256x128 82 vs 83, but TN 784x256x64
    /// 145 vs 167 and NT 64x784x256 99 vs 131.
    /// </summary>
    internal const long PackedParallelThreshold = 1L << 22;

    /// <summary>
    /// How long a packed product of <paramref name="work"/> multiply-adds waits for a worker to join: work / 1e12
    /// seconds (1/18 of its time on one core of this VM, ~1/9 on a core with twice its FMA width), up to 4 ms; a small
    /// product keeps the pool's own windows (25 us for a spinning worker, 0.5 ms for a sleeping one). A worker that
    /// comes later than the window leaves the whole product to the caller, twice as long, so for W4's products (4.3-8.6 G
    /// multiply-adds, 40-80 ms on one core here) waiting a few milliseconds is the cheaper side. Measured on a VM whose
    /// host was busy (2026-12-03, 10-25% of the CPU time stolen; the 4 ms for sleeping workers only): 72-80 of ~185
    /// such products ran alone with the pool's windows, 35-44 with 4 ms (W4 562-787 against 657-948 samples/s, three
    /// alternating runs each); in quieter minutes the same within the noise (BENCHMARKS.md, sixteenth session).
    /// </summary>
    internal static long JoinTicksFor(long work) =>
        (long)Math.Min(work * 1e-12 * System.Diagnostics.Stopwatch.Frequency, System.Diagnostics.Stopwatch.Frequency / 250.0);

    private const int PackChunk = 4;
    private static readonly int MaxParts = Environment.ProcessorCount;

    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, KernelBits, Settings.Threads);

    /// <summary>As above, with an explicit micro-kernel (512, 256, 0) and thread cap (tests check every path).</summary>
    internal static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, int bits, int threads)
    {
        Check(transA, m, k, a, lda, "A");
        Check(transB, k, n, b, ldb, "B");
        if (m > 0 && n > 0 && (ldc < n || c.Length < (long)(m - 1) * ldc + n))
            throw new ArgumentException($"GEMM: C of length {c.Length} with ldc {ldc} cannot hold {m}x{n}.");
        fixed (float* pa = a, pb = b, pc = c)
            Sgemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, bits, threads);
    }

    private static void Check(bool trans, int rows, int cols, ReadOnlySpan<float> x, int ld, string name)
    {
        if (rows == 0 || cols == 0) return;
        int r = trans ? cols : rows, cl = trans ? rows : cols;
        if (ld < cl) throw new ArgumentException($"GEMM: leading dimension of {name} ({ld}) is below its row length ({cl}).");
        if (x.Length < (long)(r - 1) * ld + cl) throw new ArgumentException($"GEMM: {name} of length {x.Length} is too short for {r}x{cl} with ld {ld}.");
    }

    internal static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int bits, int threads)
    {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f)
        {
            for (int i = 0; i < m; i++)
            {
                var row = new Span<float>(c + (long)i * ldc, n);
                if (beta == 0f) row.Clear(); else SpanMath.Multiply(row, beta, row);
            }
            return;
        }
        long work = (long)m * n * k;
        int parts = work < ParallelThreshold ? 1 : threads;
        if (bits == 512 && !transA && transB && m <= 64 && (work < PackedParallelThreshold || (UseTransposedPanels(m, n, k) && (long)n * k <= MaxTransposedPanels)))
        {
            // Two threads only from 512k multiply-adds: a pool job per small product (W7's 64x288x10 dX, ~5 us) made
            // W7's training slower and its prediction fall into one-thread mode (BusyMachine, see BENCHMARKS.md).
            int dotParts = work < DotParallelThreshold ? 1 : parts;
            if (UseTransposedPanels(m, n, k)) SgemmTransposedPanels(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, dotParts);
            else DotTransposedB(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, dotParts);
            return;
        }
        if (bits == 512 && UseTransposedNarrow(transA, transB, m, n, k))
        {
            SgemmTransposedNarrow(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        if (bits == 512 && transA && !transB && UseDirectTN(n, k, lda))
        {
            SgemmDirectTN(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work < DotParallelThreshold ? 1 : parts);
            return;
        }
        if (bits == 512 && !transA && beta == 0f && UseSwapped(m, n, k))
        {
            SgemmSwapped(transB, m, n, k, alpha, a, lda, b, ldb, c, ldc, bits, threads);
            return;
        }
        if (bits == 512 && !transA && !transB && UseSplitK(m, n, k))
        {
            SgemmSplitK(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, Math.Min(threads, MaxParts));
            return;
        }
        if (bits == 512 && !transA && !transB && UseDirect(m, n, k))
        {
            RunDirect(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, parts);
            return;
        }
        if (UseRows(m, work, parts))
        {
            SgemmRows(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bits, parts);
            return;
        }
        // Job objects are reused (a training step runs many products and should not allocate).
        if (work < PackedParallelThreshold) parts = 1;
        var job = JobCache<Job>.TakeSpare() ?? new Job();
        job.Set(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bits);
        try { WorkerPool.RunTogether(job, parts, JoinTicksFor(work)); }
        finally { JobCache<Job>.Return(job); }
    }

    // Job and PackBuffers are internal, not private: crossgen2 precompiles a private method only when code it compiles
    // calls it, and a caller it cannot precompile would leave them to the JIT (docs/ARCHITECTURE.md, "The first call").
    internal sealed class Job : IParallelJob
    {
        private bool transA, transB;
        private int m, n, k, lda, ldb, ldc, bits, _mr, _nr;
        // The blocking, the same for every part: block sizes, M blocks, k blocks, and blocks (column blocks x k blocks).
        private int _kcMax, _mcMax, _ncMax, _mBlocks, _kBlocks, _blocks;
        private float alpha, beta;
        private float* a, b, c;
        private readonly SpinBarrier _barrier = new();
        private readonly int[] _packNext = new int[2];
        // Each part's share of the current and the next block's units, [front, back) packed in a long, 64 bytes apart.
        private readonly long[] _shares = new long[2 * MaxParts * 8];

        public void Set(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int bits)
        {
            (this.transA, this.transB, this.m, this.n, this.k, this.alpha, this.lda, this.ldb, this.beta, this.ldc, this.bits) =
                (transA, transB, m, n, k, alpha, lda, ldb, beta, ldc, bits);
            this.a = a;
            this.b = b;
            this.c = c;
            _mr = bits == 512 ? Mr512 : bits == 256 ? Mr256 : MrScalar;
            _nr = bits == 512 ? Nr512 : bits == 256 ? Nr256 : NrScalar;
            (_kcMax, _mcMax, _ncMax) = (Math.Min(KC, k), Math.Min(RoundUp(MC, _mr), RoundUp(m, _mr)), Math.Min(RoundUp(NC, _nr), RoundUp(n, _nr)));
            (_mBlocks, _kBlocks) = ((m + _mcMax - 1) / _mcMax, (k + _kcMax - 1) / _kcMax);
            _blocks = (n + _ncMax - 1) / _ncMax * _kBlocks;
            _barrier.Reset();
            _packNext[0] = _packNext[1] = 0;
        }

        public void Execute(int part, int parts)
        {
            int sense = 0;
            long bLength = (long)_ncMax * _kcMax;
            var mine = PackBuffers.ForThread((long)_mcMax * _kcMax);
            // Two B blocks when threads share them: a part that runs out of work on one block packs the next meanwhile.
            float* b0 = parts == 1 ? PackBuffers.ThreadB(bLength) : PackBuffers.SharedB(2 * bLength);
            float* b1 = parts == 1 ? b0 : b0 + bLength;
            float* tile = stackalloc float[Mr512 * Nr512];
            // Block -1 has no units: its turn only packs and publishes block 0.
            for (int blk = -1; blk < _blocks; blk++)
            {
                if (blk >= 0)
                {
                    var (jc, pc, kc, nc) = BlockAt(blk);
                    int groups = Groups(nc, parts), panels = (nc + _nr - 1) / _nr, packedRows = -1;
                    float* packB = (blk & 1) == 0 ? b0 : b1;
                    for (int unit; (unit = Claim(blk & 1, part, parts)) >= 0;)
                    {
                        int ic = unit / groups * _mcMax;
                        if (ic != packedRows) PackA(transA, a, lda, ic, pc, Math.Min(_mcMax, m - ic), kc, _mr, mine);
                        packedRows = ic;
                        var (p0, p1) = Range(panels, unit % groups, groups);
                        Panels(ic, p0, p1, kc, jc, nc, pc == 0, mine, packB, tile);
                    }
                }
                if (blk + 1 == _blocks) break;
                PackBlock(blk + 1, (blk & 1) == 0 ? b1 : b0);
                Publish(blk + 1, part, parts);
                _barrier.Wait(parts, ref sense);
                // Every part has finished packing block blk + 1, so block blk + 3 may count from zero on that slot.
                if (part == 0) _packNext[(blk + 1) & 1] = 0;
            }
        }

        /// <summary>Block <paramref name="blk"/>'s first column and k, and its width and depth.</summary>
        internal (int Jc, int Pc, int Kc, int Nc) BlockAt(int blk)
        {
            int jc = blk / _kBlocks * _ncMax, pc = blk % _kBlocks * _kcMax;
            return (jc, pc, Math.Min(_kcMax, k - pc), Math.Min(_ncMax, n - jc));
        }

        /// <summary>Units a block's work is cut into per M block: column groups of up to 8 panels, fewer groups when
        /// there are few M blocks so that every part still has several units to take and to give away.</summary>
        private int Groups(int nc, int parts)
        {
            int panels = (nc + _nr - 1) / _nr;
            int perGroup = Math.Clamp(panels * _mBlocks / (4 * parts), 1, 8);
            return (panels + perGroup - 1) / perGroup;
        }

        /// <summary>Packs B panels of block <paramref name="blk"/> a few at a time, whichever part comes first taking
        /// the next few, into <paramref name="dst"/>.</summary>
        private void PackBlock(int blk, float* dst)
        {
            var (jc, pc, kc, nc) = BlockAt(blk);
            int nr = _nr, panels = (nc + nr - 1) / nr, chunks = (panels + PackChunk - 1) / PackChunk;
            ref int next = ref _packNext[blk & 1];
            for (int chunk; (chunk = Interlocked.Increment(ref next) - 1) < chunks;)
            {
                int p0 = chunk * PackChunk, p1 = Math.Min(panels, p0 + PackChunk);
                PackB(transB, b, ldb, pc, jc + p0 * nr, kc, Math.Min(nc, p1 * nr) - p0 * nr, nr, dst + (long)p0 * nr * kc);
            }
        }

        /// <summary>Sets this part's share of block <paramref name="blk"/>'s units (its slot is free: every part passed
        /// the barrier after the block two before, the last one to use it).</summary>
        private void Publish(int blk, int part, int parts)
        {
            var (lo, hi) = Range(_mBlocks * Groups(BlockAt(blk).Nc, parts), part, parts);
            Volatile.Write(ref _shares[Slot(blk & 1, part)], (long)lo << 32 | (uint)hi);
        }

        /// <summary>The next unit for this part: the front of its own share, else the back of another part's.</summary>
        private int Claim(int parity, int part, int parts)
        {
            for (int i = 0; i < parts; i++)
            {
                ref long share = ref _shares[Slot(parity, (part + i) % parts)];
                while (true)
                {
                    long old = Volatile.Read(ref share);
                    int lo = (int)(old >> 32), hi = (int)old;
                    if (lo >= hi) break;
                    long taken = i == 0 ? (long)(lo + 1) << 32 | (uint)hi : (long)lo << 32 | (uint)(hi - 1);
                    if (Interlocked.CompareExchange(ref share, taken, old) == old) return i == 0 ? lo : hi - 1;
                }
            }
            return -1;
        }

        private static int Slot(int parity, int part) => (parity * MaxParts + part) * 8;

        /// <summary>Rows ic..ic+MC, packed in <paramref name="packA"/>, against B panels [panel0, panel1): each 8-row A
        /// panel (16 KB at KC = 512) stays in L1 while it meets the unit's B panels (up to 8, 512 KB, in L2); with the
        /// loops the other way round every tile read both operands from L2. W4's training probe, 3 alternating rounds
        /// (samples/s): this order 2,272-2,397, the other 2,267-2,327 (both with C's prefetch), neither 2,127-2,307.</summary>
        private void Panels(int ic, int panel0, int panel1, int kc, int jc, int nc, bool first, float* packA, float* packB, float* tile)
        {
            int mr = _mr, nr = _nr, mc = Math.Min(_mcMax, m - ic);
            for (int ir = 0; ir < mc; ir += mr)
            {
                int nrows = Math.Min(mr, mc - ir);
                float* pa = packA + (long)ir * kc;
                for (int jp = panel0; jp < panel1; jp++)
                {
                    int jr = jp * nr, ncols = Math.Min(nr, nc - jr);
                    float* pb = packB + (long)jr * kc;
                    float* pcOut = c + (long)(ic + ir) * ldc + jc + jr;
                    if (nrows == mr && ncols == nr) Kernel(kc, pa, pb, pcOut, ldc, alpha, beta, first);
                    else
                    {
                        Kernel(kc, pa, pb, tile, nr, 1f, 0f, true);
                        MergeEdge(tile, nr, pcOut, nrows, ncols, first);
                    }
                }
            }
        }

        private void Kernel(int kc, float* pa, float* pb, float* pc, int ld, float al, float be, bool first)
        {
            switch (bits)
            {
                case 512: Kernel512(kc, pa, pb, pc, ld, al, be, first); break;
                case 256: Kernel256(kc, pa, pb, pc, ld, al, be, first); break;
                default: KernelScalar(kc, pa, pb, pc, ld, al, be, first); break;
            }
        }

        private void MergeEdge(float* tile, int tileLd, float* pc, int rows, int cols, bool first) =>
            MergeTile(tile, tileLd, pc, ldc, rows, cols, alpha, beta, first);
    }

    /// <summary>
    /// C[rows, cols] = alpha tile + beta C on the first k block, C + alpha tile after it: a partial register tile merged
    /// into C. Rows go two masked vectors at a time (a tile row holds at least 32 readable floats; nothing past
    /// <paramref name="cols"/> is read or written in C).
    /// </summary>
    private static void MergeTile(float* tile, int tileLd, float* c, int ldc, int rows, int cols, float alpha, float beta, bool first)
    {
        if (Avx512F.IsSupported && cols <= 32)
        {
            var m0 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols)).AsSingle();
            var m1 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols - 16)).AsSingle();
            Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta), zero = Vector512<float>.Zero;
            for (int i = 0; i < rows; i++)
            {
                float* t = tile + i * tileLd, d = c + (long)i * ldc;
                var v0 = va * Vector512.Load(t);
                var v1 = va * Vector512.Load(t + 16);
                if (!first)
                {
                    v0 = Avx512F.MaskLoad(d, m0, zero) + v0;
                    v1 = Avx512F.MaskLoad(d + 16, m1, zero) + v1;
                }
                else if (beta != 0f)
                {
                    v0 += vb * Avx512F.MaskLoad(d, m0, zero);
                    v1 += vb * Avx512F.MaskLoad(d + 16, m1, zero);
                }
                Avx512F.MaskStore(d, m0, v0);
                Avx512F.MaskStore(d + 16, m1, v1);
            }
            return;
        }
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                float v = alpha * tile[i * tileLd + j];
                float* dst = c + (long)i * ldc + j;
                *dst = first ? (beta == 0f ? v : v + beta * *dst) : *dst + v;
            }
    }

    /// <summary>The contiguous share [lo, hi) of <paramref name="count"/> items that part <paramref name="part"/> of <paramref name="parts"/> takes.</summary>
    private static (int Lo, int Hi) Range(int count, int part, int parts) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));

    private static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;

    /// <summary>Packing buffers, 64-byte aligned, grown on demand and kept: A and B per thread, and one B block shared
    /// by the parts of the job that holds the worker pool.</summary>
    internal static class PackBuffers
    {
        [ThreadStatic] private static AlignedBuffer? _a, _b, _bt, _swap;
        private static readonly AlignedBuffer Shared = new();

        public static float* ForThread(long length) => (_a ??= new AlignedBuffer()).Get(length);
        public static float* ThreadB(long length) => (_b ??= new AlignedBuffer()).Get(length);

        /// <summary>B^T's panels for <see cref="SgemmTransposedPanels"/>, the calling thread's (packed by it or by the parts).</summary>
        public static float* TransposedB(long length) => (_bt ??= new AlignedBuffer()).Get(length);

        /// <summary>The swapped product's result before its transpose (<see cref="SgemmSwapped"/>).</summary>
        public static float* Swapped(long length) => (_swap ??= new AlignedBuffer()).Get(length);

        /// <summary>Only parts of a job running on the pool use this; the pool runs one job at a time.</summary>
        public static float* SharedB(long length)
        {
            lock (Shared) return Shared.Get(length);
        }
    }
}
