using Dendrite.Backends.Cpu;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Backends;

/// <summary>
/// C = alpha A^T B + beta C with at most 16 columns (an output layer's weight gradient) on the narrow path
/// (<c>Gemm.SgemmTransposedNarrow</c>): bit for bit the product of the explicitly transposed A on the direct path (the
/// same multiply-adds in k order and the same merge as the packed path it replaces), against a float64 loop, with
/// padded leading dimensions whose padding it must leave alone, partial 16-row blocks, and 1 to 16 columns.
/// </summary>
public class NarrowGemmTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 128, 10, 64 }, { 150, 10, 32 }, { 288, 10, 64 }, { 256, 1, 64 }, { 17, 16, 5 }, { 5, 9, 512 }, { 33, 8, 100 },
        { 1, 3, 7 }, { 40, 12, 1 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Matches_the_direct_product_of_the_transposed_operand_bit_for_bit(int m, int n, int k)
    {
        if (Gemm.KernelBits != 512) return;
        Assert.True(Gemm.UseTransposedNarrow(true, false, m, n, k));
        int lda = m + 3, ldb = n + 2, ldc = n + 5;
        var a = Tensor.RandomUniform([k * lda], -1f, 1f, seed: 51).ToArray();   // stored k x m: A^T is m x k
        var b = Tensor.RandomUniform([k * ldb], -1f, 1f, seed: 52).ToArray();
        var at = new float[m * k];
        for (int p = 0; p < k; p++)
            for (int i = 0; i < m; i++) at[i * k + p] = a[p * lda + i];
        foreach (var (alpha, beta) in new[] { (1f, 0f), (1f, 1f), (0.75f, 0.3f) })   // 0.3: beta C is rounded, so a fused merge would differ
        {
            var c0 = Tensor.RandomUniform([m * ldc], -1f, 1f, seed: 53).ToArray();
            var narrow = (float[])c0.Clone();
            var direct = (float[])c0.Clone();
            Gemm.Sgemm(true, false, m, n, k, alpha, a, lda, b, ldb, beta, narrow, ldc, 512, 1);
            Gemm.Sgemm(false, false, m, n, k, alpha, at, k, b, ldb, beta, direct, ldc, 512, 1);
            Assert.Equal(direct, narrow);
            var expected = (float[])c0.Clone();
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += (double)a[p * lda + i] * b[p * ldb + j];
                    expected[i * ldc + j] = (float)(alpha * s + beta * c0[i * ldc + j]);
                }
            TensorAssert.Close(expected, narrow, atol: 1e-5f * Math.Max(1, k), rtol: 1e-5f, what: $"{m}x{n}x{k} alpha={alpha} beta={beta}");
            for (int i = 0; i < m; i++)
                for (int j = n; j < ldc; j++) Assert.Equal(c0[i * ldc + j], narrow[i * ldc + j]);
        }
    }

    [Fact]
    public void Only_narrow_short_single_thread_products_take_it()
    {
        Assert.False(Gemm.UseTransposedNarrow(false, false, 128, 10, 64));
        Assert.False(Gemm.UseTransposedNarrow(true, true, 128, 10, 64));
        Assert.False(Gemm.UseTransposedNarrow(true, false, 128, 17, 64));
        Assert.False(Gemm.UseTransposedNarrow(true, false, 128, 10, Gemm.KC + 1));
        Assert.False(Gemm.UseTransposedNarrow(true, false, 4096, 16, 512));   // 32M multiply-adds: the threaded paths
    }
}
