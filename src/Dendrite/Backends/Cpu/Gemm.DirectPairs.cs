using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

internal static unsafe partial class Gemm
{
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
    /// 4 rows of A against two 32-column panels of B (panel q at b + q * panelStride, rows ldb apart), into C in place:
    /// for A whose rows alias in L1 (<see cref="RowsAlias"/>), where four streams of A leave half of each set to B. Each
    /// element's multiply-adds and its merge into C are those of <see cref="Kernel512Direct(int, float*, int, int, float*, int, float*, int, float, float, bool)"/>,
    /// so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512Direct4x2(int kc, float* a, int lda, float* b, long panelStride, int ldb, float* c, int ldc, float alpha, float beta, bool first)
    {
        float* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda, bq = b + panelStride;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var b2 = Vector512.Load(bq);
            var b3 = Vector512.Load(bq + 16);
            var x = Vector512.Create(a0[p]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(x, b2, c02);
            c03 = Avx512F.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(a1[p]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(x, b2, c12);
            c13 = Avx512F.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(a2[p]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(x, b2, c22);
            c23 = Avx512F.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(a3[p]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(x, b2, c32);
            c33 = Avx512F.FusedMultiplyAdd(x, b3, c33);
            b += ldb;
            bq += ldb;
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        int mode = !first ? 0 : beta == 0f ? 1 : 2;
        PutPair(c00, c01, c02, c03, c, va, vb, mode);
        PutPair(c10, c11, c12, c13, c + ldc, va, vb, mode);
        PutPair(c20, c21, c22, c23, c + 2L * ldc, va, vb, mode);
        PutPair(c30, c31, c32, c33, c + 3L * ldc, va, vb, mode);
    }

    /// <summary>6 rows of A against two 32-column panels (see <see cref="Kernel512Direct4x2"/>): 24 accumulators, B's
    /// four vectors read for 6 rows rather than 4 (1% faster than 4 rows on W1's prediction product).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512Direct6x2(int kc, float* a, int lda, float* b, long panelStride, int ldb, float* c, int ldc, float alpha, float beta, bool first)
    {
        float* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda, a4 = a + 4L * lda, a5 = a + 5L * lda, bq = b + panelStride;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default, c50 = default, c51 = default, c52 = default, c53 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var b2 = Vector512.Load(bq);
            var b3 = Vector512.Load(bq + 16);
            var x = Vector512.Create(a0[p]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(x, b2, c02);
            c03 = Avx512F.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(a1[p]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(x, b2, c12);
            c13 = Avx512F.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(a2[p]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(x, b2, c22);
            c23 = Avx512F.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(a3[p]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(x, b2, c32);
            c33 = Avx512F.FusedMultiplyAdd(x, b3, c33);
            x = Vector512.Create(a4[p]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            c42 = Avx512F.FusedMultiplyAdd(x, b2, c42);
            c43 = Avx512F.FusedMultiplyAdd(x, b3, c43);
            x = Vector512.Create(a5[p]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            c52 = Avx512F.FusedMultiplyAdd(x, b2, c52);
            c53 = Avx512F.FusedMultiplyAdd(x, b3, c53);
            b += ldb;
            bq += ldb;
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        int mode = !first ? 0 : beta == 0f ? 1 : 2;
        PutPair(c00, c01, c02, c03, c, va, vb, mode);
        PutPair(c10, c11, c12, c13, c + ldc, va, vb, mode);
        PutPair(c20, c21, c22, c23, c + 2L * ldc, va, vb, mode);
        PutPair(c30, c31, c32, c33, c + 3L * ldc, va, vb, mode);
        PutPair(c40, c41, c42, c43, c + 4L * ldc, va, vb, mode);
        PutPair(c50, c51, c52, c53, c + 5L * ldc, va, vb, mode);
    }

    /// <summary>One row of the 4x64 tile into C as <see cref="Kernel512Direct(int, float*, int, int, float*, int, float*, int, float, float, bool)"/>
    /// merges its tile (mode 0: C + alpha t; 1: alpha t; 2: alpha t + beta C).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutPair(Vector512<float> t0, Vector512<float> t1, Vector512<float> t2, Vector512<float> t3, float* c, Vector512<float> va, Vector512<float> vb, int mode)
    {
        Put(t0, c, va, vb, mode);
        Put(t1, c + 16, va, vb, mode);
        Put(t2, c + 32, va, vb, mode);
        Put(t3, c + 48, va, vb, mode);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector512<float> t, float* c, Vector512<float> va, Vector512<float> vb, int mode) =>
        Vector512.Store(mode == 0 ? Avx512F.FusedMultiplyAdd(t, va, Vector512.Load(c))
            : mode == 1 ? t * va : Avx512F.FusedMultiplyAdd(t, va, Vector512.Load(c) * vb), c);
}
