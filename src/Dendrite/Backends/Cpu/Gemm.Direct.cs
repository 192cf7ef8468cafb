using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

internal static unsafe partial class Gemm
{
    /// <summary>Largest M for which the unpacked path runs: always up to 64 rows, up to this many when N is at most 1024.
    /// Measured here (GFLOP/s, unpacked vs packed): 256x3072x200 264 vs 159, 512^3 386 vs 258, but 1024^3 235 vs 320 and
    /// 2048^3 224 vs 340, where packing's cache blocking wins.</summary>
    internal const int DirectMaxM = 512;
    private const int DirectKC = 1024;

    /// <summary>
    /// C = alpha A B + beta C for small M with neither operand transposed: the 8x32 tile reads A and B in place
    /// (no packing, which would cost as much as the product here), threads split the 32-column panels, no barrier.
    /// A partial last panel is copied, zero-padded, into a small buffer.
    /// </summary>
    private sealed class DirectJob : IParallelJob
    {
        private int m, n, k, lda, ldb, ldc;
        private float alpha, beta;
        private float* a, b, c;
        private bool packed;

        /// <summary>Sets the product; with <paramref name="packedB"/> b holds <see cref="PackedPanels"/>' layout (ldb unused).</summary>
        public void Set(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, bool packedB = false)
        {
            (this.m, this.n, this.k, this.alpha, this.lda, this.ldb, this.beta, this.ldc, packed) = (m, n, k, alpha, lda, ldb, beta, ldc, packedB);
            this.a = a;
            this.b = b;
            this.c = c;
        }

        public void Execute(int part, int parts)
        {
            int panels = (n + 31) / 32;
            // Split whichever operand dominates the traffic: rows when M >= N (each thread then reads all of B),
            // column panels otherwise (each thread reads all of A, which is then the smaller one).
            bool byRows = RowSplit(m, n, parts);
            var (p0, p1) = byRows ? (0, panels) : Range(panels, part, parts);
            var (r0, r1) = byRows ? Range((m + 7) / 8, part, parts) : (0, (m + 7) / 8);
            int rowStart = r0 * 8, rowEnd = Math.Min(m, r1 * 8);
            float* tile = stackalloc float[8 * 32];
            for (int jp = p0; jp < p1; jp++)
            {
                int j = jp * 32, cols = Math.Min(32, n - j);
                float* bp = b + j;
                int ldbp = ldb;
                if (packed)
                {
                    bp = b + (long)jp * k * 32;
                    ldbp = 32;
                }
                else if (cols < 32)
                {
                    // Zero-pad the partial panel so the kernel can load whole vectors.
                    float* pad = EdgeBuffer.Get((long)k * 32);
                    for (int p = 0; p < k; p++)
                    {
                        int q = 0;
                        for (; q < cols; q++) pad[p * 32 + q] = b[(long)p * ldb + j + q];
                        for (; q < 32; q++) pad[p * 32 + q] = 0f;
                    }
                    bp = pad;
                    ldbp = 32;
                }
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
                        if (rows == 8 && cols == 32) Kernel512Direct(kc, ai, lda, 8, bk, ldbp, ci, ldc, alpha, beta, first);
                        else
                        {
                            Kernel512Direct(kc, ai, lda, rows, bk, ldbp, tile, 32, 1f, 0f, true);
                            for (int r = 0; r < rows; r++)
                                for (int q = 0; q < cols; q++)
                                {
                                    float v = alpha * tile[r * 32 + q];
                                    float* d = ci + (long)r * ldc + q;
                                    *d = first ? (beta == 0f ? v : v + beta * *d) : *d + v;
                                }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// A (k, n) right operand copied once into 32-column panels, each k rows of 32 contiguous, 64-byte aligned floats
    /// (the last panel zero-padded): the layout the 8x32 tile reads fastest. For products repeated with unchanged
    /// weights (prediction), where packing once costs less than the misaligned strided reads of every product.
    /// </summary>
    internal sealed class PackedPanels : PackedMatrix
    {
        private float* _p;

        public PackedPanels(float* b, int ldb, int k, int n) : base(k, n)
        {
            int panels = (n + 31) / 32;
            _p = (float*)NativeMemory.AlignedAlloc((nuint)((long)panels * k * 32 * sizeof(float)), 64);
            for (int jp = 0; jp < panels; jp++)
            {
                int j = jp * 32, cols = Math.Min(32, n - j);
                float* dst = _p + (long)jp * k * 32;
                for (int p = 0; p < k; p++)
                {
                    new ReadOnlySpan<float>(b + (long)p * ldb + j, cols).CopyTo(new Span<float>(dst + (long)p * 32, cols));
                    if (cols < 32) new Span<float>(dst + (long)p * 32 + cols, 32 - cols).Clear();
                }
            }
        }

        public float* Pointer => _p != null ? _p : throw new ObjectDisposedException(nameof(PackedPanels));

        protected override void Free()
        {
            NativeMemory.AlignedFree(_p);
            _p = null;
        }
    }

    /// <summary>C = A · B (beta = 0) for row-major A (m, k) and B packed into panels; threads split rows or panels.</summary>
    internal static void SgemmPacked(int m, float* a, int lda, PackedPanels b, float* c, int ldc, int threads)
    {
        int n = b.Columns, k = b.Rows;
        if (m == 0 || n == 0) return;
        if (k == 0) { for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear(); return; }
        RunDirect(m, n, k, 1f, a, lda, b.Pointer, 32, 0f, c, ldc, packedB: true, (long)m * n * k < ParallelThreshold ? 1 : threads);
    }

    /// <summary>Runs the unpacked path on up to <paramref name="parts"/> threads: rows split when M >= N, else 32-column panels.</summary>
    private static void RunDirect(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, bool packedB, int parts)
    {
        var job = JobCache<DirectJob>.Rent();
        job.Set(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, packedB);
        try { WorkerPool.Run(job, RowSplit(m, n, parts) ? parts : Math.Min(parts, (n + 31) / 32)); }
        finally { JobCache<DirectJob>.Return(job); }
    }

    internal static bool RowSplit(int m, int n, int parts) => m >= 16 * parts && m >= n;

    /// <summary>Per-thread buffer for a zero-padded edge panel.</summary>
    private static class EdgeBuffer
    {
        [ThreadStatic] private static float* _p;
        [ThreadStatic] private static long _len;

        public static float* Get(long length)
        {
            if (_len < length)
            {
                NativeMemory.AlignedFree(_p);
                _p = (float*)NativeMemory.AlignedAlloc((nuint)(length * sizeof(float)), 64);
                _len = length;
            }
            return _p;
        }
    }
}
