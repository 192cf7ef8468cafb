using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// Whether C = A·B (few rows of A, a long k) is split along k (<see cref="SgemmSplitK"/>) rather than by C's column
    /// panels. A Dense layer's training step then has each thread touch the same rows of its kernel in the forward
    /// product, the weight-gradient product (split by rows of C) and the optimizer's update (split into contiguous
    /// ranges): measured here when the two vCPUs did not share a cache (a cache line's round trip between them 410-470
    /// ns), W1's 32x200x3072 forward product took 107-112 us split along k against 168-200 us by columns, and the
    /// weight-gradient product and Adam's pass after it 230-237 us against 320-363 us, because no thread read rows the
    /// other had just written. Decided by the shape alone, so a product is the same on one thread as on several.
    /// </summary>
    internal static bool UseSplitK(int m, int n, int k) => m <= 64 && k >= 512 && k >= n && (long)m * n * k >= ParallelThreshold;

    /// <summary>The slices of k a split product is cut into: by k alone (not by the threads, which take consecutive
    /// slices), so every thread count adds the same partial products in the same order.</summary>
    internal static int SplitKSlices(int k) => k >= 2048 ? 4 : 2;

    /// <summary>
    /// C = alpha A B + beta C as <see cref="SplitKSlices"/> products over consecutive ranges of k: slice 0 into C (with
    /// beta), the others into scratch, then added to C in slice order. Up to <paramref name="threads"/> threads each take
    /// a run of consecutive slices.
    /// </summary>
    internal static void SgemmSplitK(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int threads)
    {
        int slices = SplitKSlices(k);
        var job = JobCache<SplitKJob>.TakeSpare() ?? new SplitKJob();
        job.Set(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, slices);
        try { WorkerPool.Run(job, Math.Min(threads, slices)); }
        finally { JobCache<SplitKJob>.Return(job); }
    }

    /// <summary>One k-split product (see <see cref="SgemmSplitK"/>); reused (no allocation per product). Internal for
    /// the reason given at <see cref="DirectJob"/>.</summary>
    internal sealed class SplitKJob : IParallelJob
    {
        private int m, n, k, lda, ldb, ldc, slices;
        private float alpha, beta;
        private float* a, b, c, partials;
        private readonly AlignedBuffer _scratch = new();
        private int _finished;

        public void Set(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int slices)
        {
            (this.m, this.n, this.k, this.alpha, this.lda, this.ldb, this.beta, this.ldc, this.slices) = (m, n, k, alpha, lda, ldb, beta, ldc, slices);
            this.a = a;
            this.b = b;
            this.c = c;
            partials = _scratch.Get((long)(slices - 1) * m * n);
            _finished = 0;
        }

        public void Execute(int part, int parts)
        {
            // Part p takes a run of consecutive slices: consecutive rows of B, as the update's contiguous ranges do.
            var (s0, s1) = Range(slices, part, parts);
            for (int s = s0; s < s1; s++)
            {
                var (k0, k1) = Range(k, s, slices);
                float* dst = s == 0 ? c : partials + (long)(s - 1) * m * n;
                RunDirect(m, n, k1 - k0, alpha, a + k0, lda, b + (long)k0 * ldb, ldb, s == 0 ? beta : 0f, dst, s == 0 ? ldc : n, 1);
            }
            // The last part to finish adds the partials (the interlocked count orders the others' writes before it):
            // no barrier, and a part no worker claimed is run by the caller. SpanMath.Add rather than TensorPrimitives.Add:
            // the same sums, and the latter's instantiation took ~11 ms of JIT in a fresh process's first training step.
            if (Interlocked.Increment(ref _finished) != parts) return;
            for (int i = 0; i < m; i++)
            {
                var row = new Span<float>(c + (long)i * ldc, n);
                for (int s = 1; s < slices; s++)
                    Kernels.SpanMath.Add(row, new ReadOnlySpan<float>(partials + ((long)(s - 1) * m + i) * n, n), row);
            }
        }
    }
}
