using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

internal static unsafe partial class Gemm
{
    /// <summary>Largest M for which the unpacked path runs: always up to 64 rows, up to this many when N is at most 1024
    /// and A is small enough to stay in cache while each column panel reads it again (see <see cref="UseDirect"/>).
    /// Measured here (GFLOP/s, unpacked vs packed): 256x3072x200 264 vs 159, 512^3 386 vs 258, but 1024^3 235 vs 320 and
    /// 2048^3 224 vs 340, where packing's cache blocking wins.</summary>
    internal const int DirectMaxM = 512;

    /// <summary>
    /// Whether C = A·B (neither transposed) takes the unpacked path. Each 32-column panel reads all of A again, so
    /// a long A (k > 2048, or m·k of 1M floats and more) goes to the packed, cache-blocked path. Measured here
    /// (GFLOP/s, MxNxK, unpacked vs packed): 512x1024x4096 226-238 vs 307-319, 128x1024x4096 180 vs 267,
    /// 512x1024x2048 227 vs 288; but 256x512x2048 282 vs 220 and 512x512x1536 283 vs 264.
    /// </summary>
    internal static bool UseDirect(int m, int n, int k) =>
        m <= 64 || (m <= DirectMaxM && n <= 1024 && k <= 2048 && (long)m * k < 1 << 20);
    private const int DirectKC = 1024;

    /// <summary>
    /// Whether rows of A <paramref name="lda"/> floats apart fall into one L1 set (a stride of a whole number of 4 KB:
    /// W1's 3072 inputs), where the 8-row tile's eight streams of A fill all eight ways of one set (Zen 4's 32 KB L1 is
    /// 8-way) and each line of B read through it evicts one of them. Such products take tiles of two panels and 6 or 4
    /// rows (<see cref="DirectJob"/>). Measured here (GFLOP/s, medians, same A / a fresh A each product; alternating
    /// blocks in one process): W1's prediction product 256x200x3072 on packed panels 207 -> 215 / 200 -> 207 (with A's
    /// rows padded to 3088 floats, the 8-row tile: 221), 256x192x3072 222; W1's training forward 32x200x3072 (split
    /// along k) 164-173 -> 176-185, 64x200x2048 168-176 -> 187-190; W4's prediction products 256x4096x1024 188 -> 202,
    /// 256x4096x4096 195 -> 207, 256x1024x4096 196 -> 208. A 2 KB stride (two sets) gains 1-3%: left on the 8-row tile.
    /// </summary>
    internal static bool RowsAlias(int lda) => lda % 1024 == 0;

    /// <summary>
    /// C = alpha A B + beta C for small M with neither operand transposed: the 8x32 tile reads A and B in place
    /// (no packing, which would cost as much as the product here), threads split the 32-column panels, no barrier.
    /// A partial last panel is copied, zero-padded, into a small buffer.
    /// </summary>
    // Internal, not private: crossgen2 precompiles a private method only when code it compiles calls it, and the
    // callers it cannot precompile would leave them to the JIT (docs/ARCHITECTURE.md, "The first call").
    internal sealed class DirectJob : IParallelJob
    {
        private int m, n, k, lda, ldb, ldc;
        private float alpha, beta;
        private float* a, b, c, edge;
        private bool packed, transA;
        private int panels, edgeStride, sourceLd;
        private float* source;

        /// <summary>Sets the product of A and an unpacked B (rows ldb apart).</summary>
        public void Set(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        {
            (this.m, this.n, this.k, this.alpha, this.lda, this.ldb, this.beta, this.ldc, packed) = (m, n, k, alpha, lda, ldb, beta, ldc, false);
            this.a = a;
            this.b = b;
            this.c = c;
            edge = null;
            panels = (n + 31) / 32;
            PackOwnPanels = false;
            transA = false;
        }

        /// <summary>Sets C = alpha A^T B + beta C for A stored k x m (its rows <paramref name="lda"/> apart) and B read
        /// in place (<see cref="UseDirectTN"/>).</summary>
        public void SetTransposedA(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        {
            Set(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            transA = true;
        }

        /// <summary>Sets C = A · B for B packed by <see cref="PackedPanels"/> (alpha 1, beta 0).</summary>
        public void Set(int m, float* a, int lda, PackedPanels b, float* c, int ldc)
        {
            Set(m, b.Columns, b.Rows, 1f, a, lda, b.Pointer, 32, 0f, c, ldc);
            packed = true;
            edge = b.Edge;
            edgeStride = EdgeStride(b.Rows);
            panels = b.FullPanels;
        }

        /// <summary>Sets C = alpha A · B^T + beta C for B^T's full 32-column panels packed at <paramref name="panelsB"/>
        /// (<see cref="PackTransposedPanels"/>) and its n % 32 last columns read in place as rows of
        /// <paramref name="bt"/> (<paramref name="ldbt"/> apart) by the dot-product tile.</summary>
        public void SetTransposed(int m, int n, int k, float alpha, float* a, int lda, float* panelsB, float* bt, int ldbt, float beta, float* c, int ldc)
        {
            Set(m, n, k, alpha, a, lda, panelsB, 32, beta, c, ldc);
            packed = true;
            panels = n / 32;
            edge = panels * 32 < n ? bt + (long)panels * 32 * ldbt : null;
            edgeStride = ldbt;
            source = bt;
            sourceLd = ldbt;
        }

        /// <summary>Whether each part packs its own full panels of B^T (from the rows given to <see cref="SetTransposed"/>)
        /// before it multiplies by them: set when the parts split the panels; reset by every Set.</summary>
        public bool PackOwnPanels { get; set; }

        /// <summary>The 32-column panels, plus one unit for the packed edge columns when there are any.</summary>
        public int Units => panels + (edge != null ? 1 : 0);

        public int M => m;

        public int N => n;

        public void Execute(int part, int parts)
        {
            // Split whichever operand dominates the traffic: rows when M >= N (each thread then reads all of B),
            // column panels otherwise (each thread reads all of A, which is then the smaller one). A weight gradient
            // (A transposed) splits by rows, into the halves the optimizer's pass takes next (FusedUpdates.Run).
            bool byRows = !PackOwnPanels && (transA ? m >= 16 * parts : RowSplit(m, n, parts));
            var (p0, p1) = byRows ? (0, Units) : Range(Units, part, parts);
            var (r0, r1) = byRows ? Range((m + 7) / 8, part, parts) : (0, (m + 7) / 8);
            int rowStart = r0 * 8, rowEnd = Math.Min(m, r1 * 8);
            float* tile = stackalloc float[8 * 32];
            if (transA)
            {
                TransposedARows(rowStart, rowEnd, p0, p1, tile);
                return;
            }
            if (PackOwnPanels) PackTransposedPanels(source, sourceLd, k, p0, Math.Min(p1, panels), b);
            int from = p0;
            // One row (a single-sample prediction): four full panels at a time (see Kernel512Direct1x4).
            if (rowEnd - rowStart == 1)
                for (int full = Math.Min(p1, n / 32); from + 4 <= full; from += 4) OneRowFourPanels(rowStart, from, tile);
            if (RowsAlias(lda) && rowEnd - rowStart >= 4) from = PanelPairs(from, Math.Min(p1, n / 32), rowStart, rowEnd, tile);
            for (int jp = from; jp < p1; jp++)
            {
                if (jp == panels)
                {
                    EdgeColumns(rowStart, rowEnd);
                    continue;
                }
                int j = jp * 32, cols = Math.Min(32, n - j);
                float* bp = b + j;
                int ldbp = ldb;
                if (packed)
                {
                    bp = b + (long)jp * k * 32;
                    ldbp = 32;
                }
                // A partial last panel of an unpacked B is read under masks (nothing past the row, zeros beyond it).
                bool edgePanel = !packed && cols < 32;
                for (int pc = 0; pc < k; pc += DirectKC)
                {
                    int kc = Math.Min(DirectKC, k - pc);
                    bool first = pc == 0;
                    for (int i = rowStart; i < rowEnd; i += 8)
                    {
                        int rows = Math.Min(8, rowEnd - i);
                        float* ai = a + (long)i * lda + pc;
                        float* bk = bp + (long)pc * ldbp;
                        float* ci = c + (long)i * ldc + j;
                        if (edgePanel)
                        {
                            // An edge of at most 16 columns (W1's 200 = 6 x 32 + 8) takes the one-vector tile.
                            if (cols <= 16) Kernel512DirectEdge16(kc, ai, lda, rows, bk, ldbp, cols, tile);
                            else Kernel512DirectEdge(kc, ai, lda, rows, bk, ldbp, cols, tile);
                            MergeTile(tile, 32, ci, ldc, rows, cols, alpha, beta, first);
                        }
                        else if (rows == 8 && cols == 32) Kernel512Direct(kc, ai, lda, 8, bk, ldbp, ci, ldc, alpha, beta, first);
                        else
                        {
                            if (rows <= 4) Kernel512Direct4(kc, ai, lda, rows, bk, ldbp, tile);
                            else Kernel512Direct(kc, ai, lda, rows, bk, ldbp, tile, 32, 1f, 0f, true);
                            MergeTile(tile, 32, ci, ldc, rows, cols, alpha, beta, first);
                        }
                    }
                }
            }
        }

        /// <summary>Rows [r0, r1) of A^T B (A stored transposed, k of at most <see cref="MaxDirectTNDepth"/>) against
        /// panels [p0, p1), row tile by row tile: a tile's 8 columns of A (k x 32 bytes) stay in L1 while it meets every
        /// panel, and B (at most 128 KB, <see cref="UseDirectTN"/>) comes from L2 (panel by panel, each thread's share of
        /// A came from L2 once per panel: 3072x200x32 296 vs 243 us). A whole 8x32 tile goes into C in place, anything
        /// smaller through <paramref name="tile"/> and <see cref="MergeTile"/>; a last tile of fewer than 8 rows reads a
        /// zero-padded copy of its columns of A (the kernels read all 8).</summary>
        private void TransposedARows(int r0, int r1, int p0, int p1, float* tile)
        {
            float* padded = stackalloc float[8 * MaxDirectTNDepth];
            for (int i = r0; i < r1; i += 8)
            {
                int rows = Math.Min(8, r1 - i), ldt = lda;
                float* ai = a + i;
                if (rows < 8)
                {
                    for (int p = 0; p < k; p++)
                        for (int r = 0; r < 8; r++) padded[p * 8 + r] = r < rows ? ai[(long)p * lda + r] : 0f;
                    ai = padded;
                    ldt = 8;
                }
                for (int jp = p0; jp < p1; jp++)
                {
                    int j = jp * 32, cols = Math.Min(32, n - j);
                    float* bj = b + j, ci = c + (long)i * ldc + j;
                    if (rows == 8 && cols == 32)
                    {
                        Kernel512DirectT(k, ai, ldt, bj, ldb, ci, ldc, alpha, beta, true);
                        continue;
                    }
                    if (cols == 32) Kernel512DirectT(k, ai, ldt, bj, ldb, tile, 32, 1f, 0f, true);
                    else if (cols <= 16) Kernel512DirectEdge16T(k, ai, ldt, bj, ldb, cols, tile);
                    else Kernel512DirectEdgeT(k, ai, ldt, bj, ldb, cols, tile);
                    MergeTile(tile, 32, ci, ldc, rows, cols, alpha, beta, true);
                }
            }
        }

        /// <summary>Full panels from <paramref name="from"/> below <paramref name="full"/>, two at a time, in tiles of 6 and 4
        /// rows (<c>Kernel512Direct6x2</c>, <c>Kernel512Direct4x2</c>, generated), for A whose rows alias in L1; a last
        /// 1-3 rows take the 8-row path's partial tiles (through <paramref name="tile"/>, Execute's 8x32 buffer). Returns
        /// the first panel left (an odd one, or the edge).</summary>
        private int PanelPairs(int from, int full, int rowStart, int rowEnd, float* tile)
        {
            int ldbp = packed ? 32 : ldb;
            long panelStride = packed ? (long)k * 32 : 32;
            int total = rowEnd - rowStart, sixes = total / 6;
            while (sixes > 0 && (total - 6 * sixes) % 4 >= 2) sixes--;   // 128 rows: 20 x 6 + 2 x 4
            int rows6 = rowStart + 6 * sixes, rows4 = rows6 + (rowEnd - rows6) / 4 * 4;
            for (; from + 2 <= full; from += 2)
            {
                int j = from * 32;
                float* bp = packed ? b + (long)from * k * 32 : b + j;
                for (int pc = 0; pc < k; pc += DirectKC)
                {
                    int kc = Math.Min(DirectKC, k - pc);
                    bool first = pc == 0;
                    float* bk = bp + (long)pc * ldbp;
                    int i = rowStart;
                    for (; i < rows6; i += 6)
                        Kernel512Direct6x2(kc, a + (long)i * lda + pc, lda, bk, panelStride, ldbp, c + (long)i * ldc + j, ldc, alpha, beta, first);
                    for (; i < rows4; i += 4)
                        Kernel512Direct4x2(kc, a + (long)i * lda + pc, lda, bk, panelStride, ldbp, c + (long)i * ldc + j, ldc, alpha, beta, first);
                    if (rows4 < rowEnd)
                        for (int q = 0; q < 2; q++)
                        {
                            Kernel512Direct4(kc, a + (long)rows4 * lda + pc, lda, rowEnd - rows4, bk + q * panelStride, ldbp, tile);
                            MergeTile(tile, 32, c + (long)rows4 * ldc + j + q * 32, ldc, rowEnd - rows4, 32, alpha, beta, first);
                        }
                }
            }
            return from;
        }

        /// <summary>Row <paramref name="i"/> against full panels <paramref name="jp"/>..jp+3, k block by k block, merged as
        /// a one-row tile is (the same bits as the panel-by-panel loop).</summary>
        private void OneRowFourPanels(int i, int jp, float* tile)
        {
            int ldbp = packed ? 32 : ldb;
            for (int pc = 0; pc < k; pc += DirectKC)
            {
                int kc = Math.Min(DirectKC, k - pc);
                float* bk = (packed ? b + (long)jp * k * 32 : b + jp * 32) + (long)pc * ldbp;
                long panelStride = packed ? (long)k * 32 : 32;
                Kernel512Direct1x4(kc, a + (long)i * lda + pc, bk, panelStride, ldbp, tile);
                for (int q = 0; q < 4; q++)
                    MergeTile(tile + q * 32, 32, c + (long)i * ldc + (jp + q) * 32, ldc, 1, 32, alpha, beta, pc == 0);
            }
        }

        /// <summary>Rows [r0, r1) of the packed operand's edge columns, as dot products along k (no padded multiply-adds).</summary>
        private void EdgeColumns(int r0, int r1) =>
            DotTransposedB(r1 - r0, n - panels * 32, k, alpha, a + (long)r0 * lda, lda, edge, edgeStride, beta, c + (long)r0 * ldc + panels * 32, ldc);
    }

    /// <summary>
    /// A (k, n) right operand copied once into the layouts the AVX-512 tiles read fastest, for products repeated with
    /// unchanged weights (prediction), where packing once costs less than the misaligned strided reads of every product:
    /// the first n / 32 * 32 columns as 32-column panels (k rows of 32 contiguous, 64-byte aligned floats); the n % 32
    /// columns left (the edge) transposed, each a 64-byte aligned row of k values (<see cref="EdgeStride"/> apart), read
    /// by the dot-product tile, so that an edge of 8 columns costs 8 columns' work rather than a padded panel's 32.
    /// </summary>
    internal sealed class PackedPanels : PackedMatrix
    {
        private float* _p;
        private readonly long _bytes;

        public PackedPanels(float* b, int ldb, int k, int n) : base(k, n)
        {
            FullPanels = n / 32;
            int edgeCols = n - FullPanels * 32, stride = EdgeStride(k);
            long panelLength = (long)FullPanels * k * 32;
            _bytes = Math.Max(1, panelLength + (long)edgeCols * stride) * sizeof(float);
            _p = (float*)NativeMemory.AlignedAlloc((nuint)_bytes, 64);
            FreshPages.Populate(_p, _bytes);   // new memory from the allocator: mapped in one call, not page by page
            GC.AddMemoryPressure(_bytes);   // caches drop replaced panels to the finalizer: let the GC see their size
            for (int jp = 0; jp < FullPanels; jp++)
            {
                float* dst = _p + (long)jp * k * 32;
                for (int p = 0; p < k; p++)
                    new ReadOnlySpan<float>(b + (long)p * ldb + jp * 32, 32).CopyTo(new Span<float>(dst + (long)p * 32, 32));
            }
            Edge = edgeCols == 0 ? null : _p + panelLength;
            for (int col = 0; col < edgeCols; col++)
                for (int p = 0; p < k; p++) Edge[(long)col * stride + p] = b[(long)p * ldb + FullPanels * 32 + col];
        }

        /// <summary>Whole 32-column panels.</summary>
        public int FullPanels { get; }

        /// <summary>The packed edge columns (null when n is a multiple of 32).</summary>
        public float* Edge { get; private set; }

        public float* Pointer => _p != null ? _p : throw new ObjectDisposedException(nameof(PackedPanels));

        protected override void Free()
        {
            NativeMemory.AlignedFree(_p);
            GC.RemoveMemoryPressure(_bytes);
            _p = null;
            Edge = null;
        }
    }

    /// <summary>Floats between the packed edge's rows: k rounded up to whole 64-byte lines, and one line more when that
    /// is a whole number of 4 KB (<see cref="RowsAlias"/>), where the dot tile's eight rows of the edge would all fall
    /// into one set of L1 beside A's rows.</summary>
    internal static int EdgeStride(int k)
    {
        int stride = (k + 15) / 16 * 16;
        return RowsAlias(stride) ? stride + 16 : stride;
    }

    /// <summary>C = A · B (beta = 0) for row-major A (m, k) and B packed into panels; threads split rows or panels.</summary>
    internal static void SgemmPacked(int m, float* a, int lda, PackedPanels b, float* c, int ldc, int threads)
    {
        int n = b.Columns, k = b.Rows;
        if (m == 0 || n == 0) return;
        if (k == 0) { for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear(); return; }
        var job = JobCache<DirectJob>.TakeSpare() ?? new DirectJob();
        job.Set(m, a, lda, b, c, ldc);
        RunDirect(job, (long)m * n * k < ParallelThreshold ? 1 : threads);
    }

    /// <summary>
    /// C = alpha A B^T + beta C for few rows of A (<see cref="UseTransposedPanels"/>): B^T's full 32-column panels are
    /// packed by register transposes into the calling thread's buffer, then the 8x32 tile runs over them as over a
    /// <see cref="PackedPanels"/> operand; threads split rows (the caller packs every panel first) or panels (each part
    /// packs its own: 64x256x128 on two threads 28.4 vs 37.6 us with the caller packing all); the n % 32 last columns
    /// are dot products of A's rows with B's rows read in place.
    /// </summary>
    internal static void SgemmTransposedPanels(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int parts)
    {
        int full = n / 32;
        float* panelsB = PackBuffers.TransposedB((long)Math.Max(1, full) * k * 32);
        var job = JobCache<DirectJob>.TakeSpare() ?? new DirectJob();
        job.SetTransposed(m, n, k, alpha, a, lda, panelsB, b, ldb, beta, c, ldc);
        // Split by rows, every part reads every panel: packed here first. Split by panels, each part packs its own.
        if (RowSplit(m, n, parts) || parts <= 1) PackTransposedPanels(b, ldb, k, 0, full, panelsB);
        else job.PackOwnPanels = true;
        RunDirect(job, parts);
    }

    /// <summary>
    /// Whether C = A B^T (m &lt;= 64 rows of A) runs on packed panels of B^T (<see cref="SgemmTransposedPanels"/>) rather
    /// than as dot products along k (<see cref="DotTransposedB(int, int, int, float, float*, int, float*, int, float, float*, int)"/>):
    /// with 16+ rows and a full panel. The dot tile reduces 16-wide partial sums across each vector at its end, which
    /// the Zen 4 cores here (512-bit FMAs at one per cycle) pay for more than packing B^T by register transposes. Measured
    /// here (us, medians, one thread / two, dots vs panels, blocks alternating): 64x256x128 (W2's second layer's input
    /// gradient) 61.1/32.4 vs 42.2/23.6, 32x256x128 31.9/19.9 vs 23.8/16.9, 16x256x128 18.0/11.1 vs 14.5/10.4,
    /// 32x200x200 35.9/21.3 vs 30.9/20.1; above the dot path's size, against the packed job: 64x256x256 (W7's d2) 49.1
    /// vs 45.8 and 64x784x256 168 vs 140 on two threads. With 8 rows the dots win (8x256x128 6.5 vs 7.6), and on
    /// earlier machines with two 512-bit FMA pipes they won up to k = 48 (64x256x128 32.5 vs 41-44 on one thread).
    /// W2's training step 0.979-0.993 of its time, W7's 0.993, W1's 0.995-0.997 (blocks of steps alternating).
    /// </summary>
    internal static bool UseTransposedPanels(int m, int n, int k) => m >= 16 && n >= 32;

    /// <summary>Largest B^T (n x k floats, 4 MB) packed whole for <see cref="SgemmTransposedPanels"/> when the product
    /// is too large for the dot path's size limit; larger ones take the packed job's k blocks.</summary>
    private const long MaxTransposedPanels = 1 << 20;

    /// <summary>Packs 32-column panels <paramref name="from"/>..<paramref name="to"/> of B^T (B's rows, <paramref name="ldb"/> apart,
    /// k long) into k x 32 panels, 64-byte aligned (16x16 blocks transposed in registers).</summary>
    private static void PackTransposedPanels(float* b, int ldb, int k, int from, int to, float* dst)
    {
        for (int jp = from; jp < to; jp++) PackB(true, b, ldb, 0, jp * 32, k, 32, 32, dst + (long)jp * k * 32);
    }

    /// <summary>
    /// Whether C = A^T B (A stored k x m, a dense layer's weight gradient X^T dZ) reads both operands in place
    /// (<see cref="DirectJob.SetTransposedA"/>): for a short k (a batch) and a B of up to 32k floats (128 KB, in L2 for
    /// every row tile), where packing A's panels and sharing B's blocks between the threads behind a barrier costs more
    /// than it saves. Each 8-row tile's k-th values of A are 8 adjacent floats, as in a packed A panel. Measured here
    /// (us, medians, two threads, packed job vs this, blocks alternating): 784x256x64 (W2's and W7's first weight
    /// gradient) 143-160 vs 131-138, 256x256x64 (W7's d2) 49-68 vs 41-45, 784x32x64 (W7's side layer) 21.7 vs 16.4-17.8,
    /// 200x150x32 (W1's second) 23.8 on one thread vs 12.7-13.7; larger B or k take the packed paths (784x1024x64 562
    /// vs 564), and so does an A whose rows are a whole number of 4 KB apart (<see cref="RowsAlias"/>: W1's 3072x200x32,
    /// 213-254 packed vs 278-298 here), whose k-th values all fall into one set of L1.
    /// </summary>
    internal static bool UseDirectTN(int n, int k, int lda) => k <= MaxDirectTNDepth && (long)k * n <= 1 << 15 && !RowsAlias(lda);

    /// <summary>The longest k of <see cref="UseDirectTN"/> (one k block).</summary>
    private const int MaxDirectTNDepth = 128;

    /// <summary>C = alpha A^T B + beta C on the in-place path (<see cref="UseDirectTN"/>), rows split between up to
    /// <paramref name="parts"/> threads.</summary>
    internal static void SgemmDirectTN(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int parts)
    {
        var job = JobCache<DirectJob>.TakeSpare() ?? new DirectJob();
        job.SetTransposedA(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        try { WorkerPool.Run(job, m >= 16 * parts ? parts : 1); }
        finally { JobCache<DirectJob>.Return(job); }
    }

    /// <summary>Runs the unpacked path on up to <paramref name="parts"/> threads: rows split when M >= N, else 32-column panels.</summary>
    private static void RunDirect(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int parts)
    {
        var job = JobCache<DirectJob>.TakeSpare() ?? new DirectJob();
        job.Set(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        RunDirect(job, parts);
    }

    /// <summary>Runs a rented, set job on up to <paramref name="parts"/> threads and returns it to the cache.</summary>
    private static void RunDirect(DirectJob job, int parts)
    {
        try { WorkerPool.Run(job, RowSplit(job.M, job.N, parts) ? parts : Math.Min(parts, job.Units)); }
        finally { JobCache<DirectJob>.Return(job); }
    }

    /// <summary>
    /// C = alpha A B^T + beta C on one thread, as dot products of rows of A with rows of B read in place: for a few rows
    /// of A, where packing would cost as much as the product (measured here, GFLOP/s, MxNxK, packed path on one thread
    /// vs this: 32x200x150 54 vs 128, 64x256x128 82 vs 125, 32x150x10 13 vs 17), and for the edge columns of a
    /// <see cref="PackedPanels"/> operand, kept transposed for it.
    /// </summary>
    private static void DotTransposedB(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        for (int j = 0; j < n; j += NcDot)
            for (int i = 0; i < m; i += MrDot)
                KernelDotDirect512(k, a + (long)i * lda, lda, Math.Min(MrDot, m - i), b + (long)j * ldb, ldb, Math.Min(NcDot, n - j),
                    c + (long)i * ldc + j, ldc, alpha, beta);
    }

    internal static bool RowSplit(int m, int n, int parts) => m >= 16 * parts && m >= n;

    /// <summary>C = alpha A B^T + beta C as dot products (the one-thread overload) on up to <paramref name="parts"/>
    /// threads, each taking a contiguous range of B's rows (C's columns, in groups of 8): no barrier, no packing.</summary>
    private static void DotTransposedB(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int parts)
    {
        int groups = (n + NcDot - 1) / NcDot;
        if (parts <= 1 || groups < 2)
        {
            DotTransposedB(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        var job = JobCache<DotJob>.TakeSpare() ?? new DotJob();
        job.Set(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        try { WorkerPool.Run(job, Math.Min(parts, groups)); }
        finally { JobCache<DotJob>.Return(job); }
    }

    /// <summary>One product of the threaded dot-product path
    /// split by columns; reused (no allocation per product). Internal for the reason given at DirectJob.</summary>
    internal sealed class DotJob : IParallelJob
    {
        private int m, n, k, lda, ldb, ldc;
        private float alpha, beta;
        private float* a, b, c;

        public void Set(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        {
            (this.m, this.n, this.k, this.alpha, this.lda, this.ldb, this.beta, this.ldc) = (m, n, k, alpha, lda, ldb, beta, ldc);
            this.a = a;
            this.b = b;
            this.c = c;
        }

        public void Execute(int part, int parts)
        {
            var (g0, g1) = Range((n + NcDot - 1) / NcDot, part, parts);
            int j0 = g0 * NcDot, j1 = Math.Min(n, g1 * NcDot);
            if (j1 > j0) DotTransposedB(m, j1 - j0, k, alpha, a, lda, b + (long)j0 * ldb, ldb, beta, c + j0, ldc);
        }
    }
}
