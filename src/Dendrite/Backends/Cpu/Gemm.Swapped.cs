using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// Whether C = A·op(B) with a few hundred rows of A against a wide, deep B (a dense layer's forward product and its
    /// input gradient dY·W^T, at batch 256-1024) is computed as (op(B)^T·A^T)^T. The direct product packs op(B), all of a
    /// large weight matrix, by both threads between the blocks' barriers (for B^T by 16x16 transposes), and walks C in
    /// k blocks; the swapped one packs the weights as 8-row A panels inside each thread's units, A^T is small, and the
    /// result, n x m, is transposed into C once (both threads). Measured here (two threads, ms, direct vs swapped with
    /// its transpose, alternating runs): A·B^T 512x4096x4096 55.3-56.1 vs 48.3-49.2, 512x4096x1024 13.4-13.7 vs 12.3-12.6
    /// (W4's input gradients); A·B 512x4096x4096 56-64 vs 51-53, 512x4096x1024 13.8-14.9 vs 12.7-13.5, 256x4096x4096
    /// 31-39 vs 28.6-28.8 (W4's forward products and a wider one); medians of 256x1024x512 6%, 1024x4096x1024 1% faster,
    /// of 512x2048x512 1% slower; with 128 rows slower (128x2048x2048 and 128x1024x784 by 5%), hence 256 rows and up.
    /// The result's buffer is kept per thread, so the path is taken up to 4M floats of C (16 MB; W4's is 2M).
    /// </summary>
    internal static bool UseSwapped(int m, int n, int k) => m >= 256 && m <= 1024 && n >= 4 * m && k >= 512 && (long)m * n <= MaxSwappedFloats;

    private const long MaxSwappedFloats = 1 << 22;

    /// <summary>C = alpha A op(B) (beta 0) as T = alpha op(B)^T A^T (n x m, a per-thread buffer), then C = T^T.</summary>
    private static void SgemmSwapped(bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float* c, int ldc, int bits, int threads)
    {
        float* t = PackBuffers.Swapped((long)n * m);
        Sgemm(!transB, true, n, m, k, alpha, b, ldb, a, lda, 0f, t, m, bits, threads);
        int blocks = (m + 15) / 16;
        int parts = Math.Min(threads, PartedLoop.Parts(blocks, 16L * n));
        PartedLoop.Run(blocks, parts, new TransposeArgs(t, c, m, n, ldc), static (lo, hi, _, s) =>
            TransposeRows(s.T, s.C, s.M, s.N, s.Ldc, lo * 16, Math.Min(s.M, hi * 16)));
    }

    /// <summary><see cref="SgemmSwapped"/>'s transpose arguments for its parted loop: a named struct, not a tuple, so that
    /// the loop's job is precompiled (<see cref="PartedLoop.Run{TState}"/>).</summary>
    private readonly struct TransposeArgs(float* t, float* c, int m, int n, int ldc)
    {
        public readonly float* T = t, C = c;
        public readonly int M = m, N = n, Ldc = ldc;
    }

    /// <summary>C[i, j] = T[j, i] for rows i0..i1 of C (T is n x m, C is m x n with leading dimension ldc).</summary>
    private static void TransposeRows(float* t, float* c, int m, int n, int ldc, int i0, int i1)
    {
        int i = i0;
        for (; i + 16 <= i1; i += 16)
        {
            int j = 0;
            for (; j + 16 <= n; j += 16) Transpose16x16(t + (long)j * m + i, m, c + (long)i * ldc + j, ldc);
            for (; j < n; j++)
                for (int r = 0; r < 16; r++) c[(long)(i + r) * ldc + j] = t[(long)j * m + i + r];
        }
        for (; i < i1; i++)
            for (int j = 0; j < n; j++) c[(long)i * ldc + j] = t[(long)j * m + i];
    }
}
