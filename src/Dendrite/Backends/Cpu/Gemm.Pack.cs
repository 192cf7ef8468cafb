using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

internal static unsafe partial class Gemm
{
    /// <summary>Packs op(A)[ic..ic+mc, pc..pc+kc] into MR-row panels: panel r holds, for each p, MR consecutive rows.</summary>
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, int mr, float* dst)
    {
        int start = 0;
        if (transA && mr == 8 && mc >= 16 && Vector256.IsHardwareAccelerated)
        {
            // Transposed A, whole panels row by row: each row of a gives its mc floats (contiguous lines) to every
            // panel, rather than each panel reading 8 floats of every row. Panel by panel, the kc rows' lines fell
            // into one L1 set when a's rows are a multiple of 4 KB apart (W1's weight gradient, rows of 3072) and were
            // evicted before the next panel read the other half of each line.
            start = mc / 8 * 8;
            for (int p = 0; p < kc; p++)
            {
                float* src = a + (long)(pc + p) * lda + ic;
                float* d = dst + p * 8;
                for (int i0 = 0; i0 < start; i0 += 8) Vector256.Store(Vector256.Load(src + i0), d + (long)i0 * kc);
            }
        }
        for (int i0 = start; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            float* panel = dst + (long)i0 * kc;
            if (!transA && rows == 8 && mr == 8 && Avx.IsSupported)
            {
                // 8x8 blocks transposed in registers: the 8 rows' elements at column p become one packed group.
                float* src = a + (long)(ic + i0) * lda + pc;
                int p = 0;
                for (; p + 8 <= kc; p += 8) Transpose8x8(src + p, lda, panel + p * 8);
                for (; p < kc; p++)
                    for (int r = 0; r < 8; r++) panel[p * 8 + r] = src[(long)r * lda + p];
            }
            else if (!transA)
            {
                for (int r = 0; r < rows; r++)
                {
                    float* src = a + (long)(ic + i0 + r) * lda + pc;
                    for (int p = 0; p < kc; p++) panel[p * mr + r] = src[p];
                }
                for (int r = rows; r < mr; r++)
                    for (int p = 0; p < kc; p++) panel[p * mr + r] = 0f;
            }
            else if (rows == 8 && mr == 8 && Vector256.IsHardwareAccelerated)
            {
                // Transposed A: the panel's 8 rows are 8 consecutive floats of each row of a.
                float* src = a + (long)pc * lda + ic + i0;
                for (int p = 0; p < kc; p++) Vector256.Store(Vector256.Load(src + (long)p * lda), panel + p * 8);
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(pc + p) * lda + ic + i0;
                    float* d = panel + p * mr;
                    int r = 0;
                    for (; r < rows; r++) d[r] = src[r];
                    for (; r < mr; r++) d[r] = 0f;
                }
            }
        }
    }

    /// <summary>dst[p * 8 + i] = src[i * lds + p] for an 8x8 block: pairs of rows interleaved, then fours, then the
    /// 128-bit halves swapped into place.</summary>
    private static void Transpose8x8(float* src, long lds, float* dst)
    {
        var r0 = Avx.LoadVector256(src); var r1 = Avx.LoadVector256(src + lds);
        var r2 = Avx.LoadVector256(src + 2 * lds); var r3 = Avx.LoadVector256(src + 3 * lds);
        var r4 = Avx.LoadVector256(src + 4 * lds); var r5 = Avx.LoadVector256(src + 5 * lds);
        var r6 = Avx.LoadVector256(src + 6 * lds); var r7 = Avx.LoadVector256(src + 7 * lds);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + 8, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 16, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 24, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 32, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 40, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 48, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 56, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// dst[p * ldd + i] = src[i * lds + p] for a 16x16 block: rows interleaved in pairs (32-bit unpacks), then in fours
    /// (64-bit unpacks), leaving 128-bit lanes that two rounds of lane shuffles put in place.
    /// </summary>
    internal static void Transpose16x16(float* src, long lds, float* dst, int ldd)
    {
        var r0 = Vector512.Load(src); var r1 = Vector512.Load(src + lds); var r2 = Vector512.Load(src + 2 * lds); var r3 = Vector512.Load(src + 3 * lds);
        var r4 = Vector512.Load(src + 4 * lds); var r5 = Vector512.Load(src + 5 * lds); var r6 = Vector512.Load(src + 6 * lds); var r7 = Vector512.Load(src + 7 * lds);
        var r8 = Vector512.Load(src + 8 * lds); var r9 = Vector512.Load(src + 9 * lds); var r10 = Vector512.Load(src + 10 * lds); var r11 = Vector512.Load(src + 11 * lds);
        var r12 = Vector512.Load(src + 12 * lds); var r13 = Vector512.Load(src + 13 * lds); var r14 = Vector512.Load(src + 14 * lds); var r15 = Vector512.Load(src + 15 * lds);
        // Per group g of rows 4g..4g+3: v[g][c] holds, in 128-bit lane L, column 4L + c of those four rows.
        Group(r0, r1, r2, r3, out var v00, out var v01, out var v02, out var v03);
        Group(r4, r5, r6, r7, out var v10, out var v11, out var v12, out var v13);
        Group(r8, r9, r10, r11, out var v20, out var v21, out var v22, out var v23);
        Group(r12, r13, r14, r15, out var v30, out var v31, out var v32, out var v33);
        // Column 4L + c is lane L of v[0][c], v[1][c], v[2][c], v[3][c]: a 4x4 transpose of lanes.
        Lanes(v00, v10, v20, v30, dst, 0, ldd);
        Lanes(v01, v11, v21, v31, dst, 1, ldd);
        Lanes(v02, v12, v22, v32, dst, 2, ldd);
        Lanes(v03, v13, v23, v33, dst, 3, ldd);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Group(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d,
            out Vector512<float> c0, out Vector512<float> c1, out Vector512<float> c2, out Vector512<float> c3)
        {
            var t0 = Avx512F.UnpackLow(a, b).AsDouble(); var t1 = Avx512F.UnpackHigh(a, b).AsDouble();
            var t2 = Avx512F.UnpackLow(c, d).AsDouble(); var t3 = Avx512F.UnpackHigh(c, d).AsDouble();
            c0 = Avx512F.UnpackLow(t0, t2).AsSingle();
            c1 = Avx512F.UnpackHigh(t0, t2).AsSingle();
            c2 = Avx512F.UnpackLow(t1, t3).AsSingle();
            c3 = Avx512F.UnpackHigh(t1, t3).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Lanes(Vector512<float> g0, Vector512<float> g1, Vector512<float> g2, Vector512<float> g3, float* dst, int c, int ldd)
        {
            var x0 = Avx512F.Shuffle4x128(g0, g1, 0x88); var x1 = Avx512F.Shuffle4x128(g0, g1, 0xDD);
            var x2 = Avx512F.Shuffle4x128(g2, g3, 0x88); var x3 = Avx512F.Shuffle4x128(g2, g3, 0xDD);
            Vector512.Store(Avx512F.Shuffle4x128(x0, x2, 0x88), dst + (long)(0 + c) * ldd);
            Vector512.Store(Avx512F.Shuffle4x128(x1, x3, 0x88), dst + (long)(4 + c) * ldd);
            Vector512.Store(Avx512F.Shuffle4x128(x0, x2, 0xDD), dst + (long)(8 + c) * ldd);
            Vector512.Store(Avx512F.Shuffle4x128(x1, x3, 0xDD), dst + (long)(12 + c) * ldd);
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, jc..jc+nc] into NR-column panels: panel j holds, for each p, NR consecutive columns.</summary>
    private static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, int nr, float* dst)
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            float* panel = dst + (long)j0 * kc;
            if (!transB)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(pc + p) * ldb + jc + j0;
                    float* d = panel + p * nr;
                    if (cols == nr && nr == 32)
                    {
                        Vector512.Store(Vector512.Load(src), d);
                        Vector512.Store(Vector512.Load(src + 16), d + 16);
                    }
                    else
                    {
                        int j = 0;
                        for (; j < cols; j++) d[j] = src[j];
                        for (; j < nr; j++) d[j] = 0f;
                    }
                }
            }
            else if (cols == 32 && nr == 32 && Avx512F.IsSupported)
            {
                // Transposed B: the 32 columns of a panel are 32 rows of b; 16x16 blocks transposed in registers.
                float* src = b + (long)(jc + j0) * ldb + pc;
                int p = 0;
                for (; p + 16 <= kc; p += 16)
                {
                    Transpose16x16(src + p, ldb, panel + p * 32, 32);
                    Transpose16x16(src + 16L * ldb + p, ldb, panel + p * 32 + 16, 32);
                }
                for (; p < kc; p++)
                    for (int j = 0; j < 32; j++) panel[p * 32 + j] = src[(long)j * ldb + p];
            }
            else if (cols == 32 && nr == 32 && Avx2.IsSupported && (long)ldb * 31 <= int.MaxValue)
            {
                // Transposed B: the 32 columns of a panel are 32 rows of b; four 8-wide gathers per k.
                var index = Vector256.Create(0, ldb, 2 * ldb, 3 * ldb, 4 * ldb, 5 * ldb, 6 * ldb, 7 * ldb);
                float* src = b + (long)(jc + j0) * ldb + pc;
                long eight = 8L * ldb;
                for (int p = 0; p < kc; p++)
                {
                    float* d = panel + p * 32;
                    Avx2.GatherVector256(src + p, index, 4).Store(d);
                    Avx2.GatherVector256(src + eight + p, index, 4).Store(d + 8);
                    Avx2.GatherVector256(src + 2 * eight + p, index, 4).Store(d + 16);
                    Avx2.GatherVector256(src + 3 * eight + p, index, 4).Store(d + 24);
                }
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    float* src = b + (long)(jc + j0 + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) panel[p * nr + j] = src[p];
                }
                for (int j = cols; j < nr; j++)
                    for (int p = 0; p < kc; p++) panel[p * nr + j] = 0f;
            }
        }
    }
}
