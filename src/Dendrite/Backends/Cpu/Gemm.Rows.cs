using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

internal static unsafe partial class Gemm
{
    /// <summary>Multiply-adds from which a packed product below <see cref="PackedParallelThreshold"/> is still split
    /// between threads, by rows of C (<see cref="SgemmRows"/>).</summary>
    internal const long RowsParallelThreshold = 1L << 20;

    /// <summary>
    /// Whether a packed product too small for the threads to share its B blocks (their barriers cost more than they
    /// save there: see <see cref="PackedParallelThreshold"/>) is split by rows of C into independent products instead,
    /// each thread packing the whole (small) B itself, with no barrier. W2's second weight gradient (256x128x64, A
    /// transposed) ran on one thread before, 24% of the main thread's step time being work the worker waited through.
    /// </summary>
    internal static bool UseRows(int m, long work, int parts) =>
        parts > 1 && work >= RowsParallelThreshold && work < PackedParallelThreshold && m >= 32 * parts;

    /// <summary>C = alpha op(A) op(B) + beta C as independent packed products over runs of whole register tiles of rows
    /// (so every tile is computed as the one-thread product computes it: the same bits), claimed by up to
    /// <paramref name="parts"/> threads.</summary>
    internal static void SgemmRows(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int bits, int parts)
    {
        var job = JobCache<RowsJob>.TakeSpare() ?? new RowsJob();
        job.Set(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bits);
        try { WorkerPool.Run(job, parts); }
        finally { JobCache<RowsJob>.Return(job); }
    }

    /// <summary>One row-split product (see <see cref="SgemmRows"/>); reused. Internal for the reason given at <see cref="Job"/>.</summary>
    internal sealed class RowsJob : IParallelJob
    {
        private bool transA, transB;
        private int m, n, k, lda, ldb, ldc, bits;
        private float alpha, beta;
        private float* a, b, c;

        public void Set(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int bits)
        {
            (this.transA, this.transB, this.m, this.n, this.k, this.alpha, this.lda, this.ldb, this.beta, this.ldc, this.bits) =
                (transA, transB, m, n, k, alpha, lda, ldb, beta, ldc, bits);
            this.a = a;
            this.b = b;
            this.c = c;
        }

        public void Execute(int part, int parts)
        {
            int mr = bits == 512 ? Mr512 : bits == 256 ? Mr256 : MrScalar;
            var (t0, t1) = Range((m + mr - 1) / mr, part, parts);
            int r0 = t0 * mr, r1 = Math.Min(m, t1 * mr);
            if (r0 >= r1) return;
            // Rows of op(A): columns of a stored transposed A, rows of a plain one.
            float* rows = transA ? a + r0 : a + (long)r0 * lda;
            var job = JobCache<Job>.TakeSpare() ?? new Job();
            job.Set(transA, transB, r1 - r0, n, k, alpha, rows, lda, b, ldb, beta, c + (long)r0 * ldc, ldc, bits);
            try { job.Execute(0, 1); }
            finally { JobCache<Job>.Return(job); }
        }
    }
}
