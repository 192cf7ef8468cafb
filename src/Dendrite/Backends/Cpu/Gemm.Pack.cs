using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

internal static unsafe partial class Gemm
{
    /// <summary>Packs op(A)[ic..ic+mc, pc..pc+kc] into MR-row panels: panel r holds, for each p, MR consecutive rows.</summary>
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, int mr, float* dst)
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            float* panel = dst + (long)i0 * kc;
            if (!transA && rows == 8 && mr == 8 && Avx2.IsSupported && (long)lda * 7 <= int.MaxValue)
            {
                // One gather per column: the 8 rows' elements at column p become one packed group.
                var index = Vector256.Create(0, lda, 2 * lda, 3 * lda, 4 * lda, 5 * lda, 6 * lda, 7 * lda);
                float* src = a + (long)(ic + i0) * lda + pc;
                for (int p = 0; p < kc; p++) Avx2.GatherVector256(src + p, index, 4).Store(panel + p * 8);
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
