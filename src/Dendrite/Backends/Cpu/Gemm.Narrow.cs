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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SgemmTransposedNarrow(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        var zero = Vector512<float>.Zero;
        var cols = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(n)).AsSingle();
        float* bp = stackalloc float[Math.Max(1, k) * 16];
        for (int p = 0; p < k; p++) Avx512F.MaskLoad(b + (long)p * ldb, cols, zero).Store(bp + p * 16);
        float* t = stackalloc float[16 * 16];
        float* rowsT = stackalloc float[16 * 16];
        new Span<float>(t, 16 * 16).Clear();
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool wide = n > 8;
        for (int i = 0; i < m; i += 16)
        {
            int rows = Math.Min(16, m - i);
            var lanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(rows)).AsSingle();
            if (wide) NarrowBlock16(k, a + i, lda, lanes, bp, t);
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

    /// <summary>16 rows (lanes) of A^T against up to 16 padded columns of B: t[j * 16 + lane] = the sum over k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowBlock16(int k, float* a, int lda, Vector512<float> mask, float* bp, float* t)
    {
        var zero = Vector512<float>.Zero;
        Vector512<float> c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
        Vector512<float> c8 = zero, c9 = zero, c10 = zero, c11 = zero, c12 = zero, c13 = zero, c14 = zero, c15 = zero;
        for (int p = 0; p < k; p++, bp += 16)
        {
            var x = Avx512F.MaskLoad(a + (long)p * lda, mask, zero);
            c0 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[0]), c0);
            c1 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[1]), c1);
            c2 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[2]), c2);
            c3 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[3]), c3);
            c4 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[4]), c4);
            c5 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[5]), c5);
            c6 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[6]), c6);
            c7 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[7]), c7);
            c8 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[8]), c8);
            c9 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[9]), c9);
            c10 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[10]), c10);
            c11 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[11]), c11);
            c12 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[12]), c12);
            c13 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[13]), c13);
            c14 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[14]), c14);
            c15 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[15]), c15);
        }
        c0.Store(t); c1.Store(t + 16); c2.Store(t + 32); c3.Store(t + 48); c4.Store(t + 64); c5.Store(t + 80); c6.Store(t + 96); c7.Store(t + 112);
        c8.Store(t + 128); c9.Store(t + 144); c10.Store(t + 160); c11.Store(t + 176); c12.Store(t + 192); c13.Store(t + 208); c14.Store(t + 224); c15.Store(t + 240);
    }

    /// <summary>The same for up to 8 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowBlock8(int k, float* a, int lda, Vector512<float> mask, float* bp, float* t)
    {
        var zero = Vector512<float>.Zero;
        Vector512<float> c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
        for (int p = 0; p < k; p++, bp += 16)
        {
            var x = Avx512F.MaskLoad(a + (long)p * lda, mask, zero);
            c0 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[0]), c0);
            c1 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[1]), c1);
            c2 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[2]), c2);
            c3 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[3]), c3);
            c4 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[4]), c4);
            c5 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[5]), c5);
            c6 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[6]), c6);
            c7 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[7]), c7);
        }
        c0.Store(t); c1.Store(t + 16); c2.Store(t + 32); c3.Store(t + 48); c4.Store(t + 64); c5.Store(t + 80); c6.Store(t + 96); c7.Store(t + 112);
    }
}
