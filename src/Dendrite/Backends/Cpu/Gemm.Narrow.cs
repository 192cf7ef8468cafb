using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// Whether C = alpha A^T B + beta C takes <see cref="SgemmTransposedNarrow"/>: at most 16 columns (an output layer's
    /// weight gradient, n = classes), one k block, and small enough to run on one thread anyway. The packed path
    /// packed A^T and padded B to a 32-column panel for it. Measured here (us, one process, alternating): W2's
    /// 128x10x64 7.0 -> 3.2, W1's 150x10x32 4.2 -> 2.3, W7's 288x10x64 15.0 -> 6.8, a binary output's 256x1x64
    /// 13.6 -> 3.3; steps of W2 0.990-0.993 and W7 0.983-0.990 of their time.
    /// </summary>
    internal static bool UseTransposedNarrow(bool transA, bool transB, int m, int n, int k) =>
        transA && !transB && n <= 16 && k <= KC && (long)m * n * k < RowsParallelThreshold;

    /// <summary>
    /// C = alpha A^T B + beta C for n &lt;= 16 and k &lt;= <see cref="KC"/>, A read in place (its rows, lda apart, hold
    /// C's rows as columns): 16 rows of C at a time as vectors along A's rows, one accumulator per column of B (B's
    /// rows copied into 16-wide zero-padded rows), then the 16 x n block merged into C. Each element is the packed
    /// path's: multiply-adds in k order from zero, then alpha times it plus beta C, so the same bits.
    /// </summary>
    internal static void SgemmTransposedNarrow(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        var zero = Vector512<float>.Zero;
        var cols = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(n)).AsSingle();
        float* bp = stackalloc float[Math.Max(1, k) * 16];
        for (int p = 0; p < k; p++) Avx512F.MaskLoad(b + (long)p * ldb, cols, zero).Store(bp + p * 16);
        float* t = stackalloc float[16 * 16];
        float* rowsT = stackalloc float[16 * 16];   // under NarrowBlock8, t's rows 8-15 feed only masked-off columns
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool wide = n > 8;
        for (int i = 0; i < m; i += 16)
        {
            int rows = Math.Min(16, m - i);
            var lanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(rows)).AsSingle();
            if (wide) NarrowBlock16(k, a + i, lda, lanes, bp, t);   // generated (tools/gen_gemm_kernels.py)
            else NarrowBlock8(k, a + i, lda, lanes, bp, t);
            // t holds the block by columns of C (t[j * 16 + r]); by rows, each row is alpha t + beta C under the
            // column mask, as the packed path's MergeTile computes it.
            Transpose16x16(t, 16, rowsT, 16);
            for (int r = 0; r < rows; r++)
            {
                float* d = c + (long)(i + r) * ldc;
                var v = va * Vector512.Load(rowsT + r * 16);
                if (beta != 0f) v += vb * Avx512F.MaskLoad(d, cols, zero);
                Avx512F.MaskStore(d, cols, v);
            }
        }
    }
}
