using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// Whether C = A·B^T with a few hundred rows of A against a wide, deep B (a dense layer's input gradient, dY·W^T, at
    /// batch 128-1024) is computed as (B·A^T)^T. The direct product packs op(B) = B^T, all of B transposed in 16x16
    /// blocks by both threads between the blocks' barriers, and walks C in k blocks; the swapped one packs B as 8-row A
    /// panels inside each thread's units, A^T is small, and the result, n x m, is transposed into C once (both threads).
    /// Measured here (two threads, ms, direct vs swapped with its transpose, three alternating runs): 512x4096x4096
    /// 55.3-56.1 vs 48.3-49.2, 512x4096x1024 13.4-13.7 vs 12.3-12.6 (W4's input gradients).
    /// The result's buffer is kept per thread, so the path is taken up to 4M floats of C (16 MB; W4's is 2M).
    /// </summary>
    internal static bool UseSwappedNT(int m, int n, int k) => m >= 128 && m <= 1024 && n >= 4 * m && k >= 512 && (long)m * n <= MaxSwappedFloats;

    private const long MaxSwappedFloats = 1 << 22;

    /// <summary>C = alpha A B^T (beta 0) as T = alpha B A^T (n x m, a per-thread buffer), then C = T^T.</summary>
    private static void SgemmSwappedNT(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float* c, int ldc, int bits, int threads)
    {
        float* t = PackBuffers.Swapped((long)n * m);
        Sgemm(false, true, n, m, k, alpha, b, ldb, a, lda, 0f, t, m, bits, threads);
        int blocks = (m + 15) / 16;
        int parts = Math.Min(threads, PartedLoop.Parts(blocks, 16L * n));
        PartedLoop.Run(blocks, parts, ((nint)t, (nint)c, m, n, ldc), static (lo, hi, _, s) =>
            TransposeRows((float*)s.Item1, (float*)s.Item2, s.Item3, s.Item4, s.Item5, lo * 16, Math.Min(s.Item3, hi * 16)));
    }

    /// <summary>C[i, j] = T[j, i] for rows i0..i1 of C (T is n x m, C is m x n with leading dimension ldc).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
