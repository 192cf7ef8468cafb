using Dendrite.Backends.Cpu;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Backends;

/// <summary>
/// Rows of A a whole number of 4 KB apart (W1's 3072 inputs) take tiles of two panels and 6 or 4 rows
/// (<c>Gemm.RowsAlias</c>): with alpha 1 each element gets the bits the 8-row tile gives it, which the same A stored
/// with rows 16 floats further apart (not aliasing) takes; on packed panels (prediction) and on B read in place
/// (training), with k past the direct path's k block (merges into C), partial tiles, odd panels, an edge and both
/// thread counts. With alpha and beta not 1 the product matches a float64 loop.
/// </summary>
public class AliasedRowTileTests
{
    public static TheoryData<int, int, int, int> Cases()
    {
        var d = new TheoryData<int, int, int, int>();
        int[][] shapes = [[256, 3072, 200], [32, 3072, 200], [13, 1024, 96], [7, 2048, 64], [4, 1024, 232], [130, 1024, 40], [64, 2048, 256], [5, 1024, 32]];
        foreach (var s in shapes)
            foreach (int threads in new[] { 1, 2 })
                d.Add(s[0], s[1], s[2], threads);
        return d;
    }

    private static float[] Strided(float[] a, int m, int k, int lda)
    {
        var r = new float[m * lda];
        for (int i = 0; i < m; i++) Array.Copy(a, i * k, r, i * lda, k);
        return r;
    }

    [Theory, MemberData(nameof(Cases))]
    public unsafe void Aliasing_rows_give_the_8_row_tiles_bits(int m, int k, int n, int threads)
    {
        if (Gemm.KernelBits != 512) return;
        Assert.True(Gemm.RowsAlias(k));
        Assert.False(Gemm.RowsAlias(k + 16));
        var a = Tensor.RandomUniform([m * k], -1f, 1f, seed: 41).ToArray();
        var b = Tensor.RandomUniform([k * n], -1f, 1f, seed: 42).ToArray();
        var c0 = Tensor.RandomUniform([m * n], -1f, 1f, seed: 43).ToArray();
        var padded = Strided(a, m, k, k + 16);
        fixed (float* pa = a, pp = padded, pb = b)
        {
            using var packed = new Gemm.PackedPanels(pb, n, k, n);
            var aliased = new float[m * n];
            var plain = new float[m * n];
            fixed (float* pc = aliased) Gemm.SgemmPacked(m, pa, k, packed, pc, n, threads);
            fixed (float* pc = plain) Gemm.SgemmPacked(m, pp, k + 16, packed, pc, n, threads);
            Assert.Equal(plain, aliased);
        }
        foreach (float beta in new[] { 0f, 0.3f })
        {
            var aliased = (float[])c0.Clone();
            var plain = (float[])c0.Clone();
            Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, beta, aliased, n, 512, threads);
            Gemm.Sgemm(false, false, m, n, k, 1f, padded, k + 16, b, n, beta, plain, n, 512, threads);
            Assert.Equal(plain, aliased);
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void Aliasing_rows_match_a_naive_product(int m, int k, int n, int threads)
    {
        const float alpha = 0.75f, beta = -0.5f;
        var a = Tensor.RandomUniform([m * k], -1f, 1f, seed: 44).ToArray();
        var b = Tensor.RandomUniform([k * n], -1f, 1f, seed: 45).ToArray();
        var c = Tensor.RandomUniform([m * n], -1f, 1f, seed: 46).ToArray();
        var expected = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[p * n + j];
                expected[i * n + j] = (float)(alpha * s + beta * c[i * n + j]);
            }
        Gemm.Sgemm(false, false, m, n, k, alpha, a, k, b, n, beta, c, n, Gemm.KernelBits, threads);
        TensorAssert.Close(expected, c, atol: 1e-5f * k, rtol: 1e-5f, what: $"{m}x{k}x{n} threads={threads}");
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2048)]
    [InlineData(3072)]
    [InlineData(4090)]
    [InlineData(784)]
    [InlineData(150)]
    public void Packed_edge_rows_are_not_a_whole_number_of_4_KB_apart(int k)
    {
        // The dot tile reads 8 rows of the packed edge at once: a stride of whole 4 KB would put them all into one set
        // of L1 (W1's k = 3072).
        int stride = Gemm.EdgeStride(k);
        Assert.True(stride >= k && stride % 16 == 0, $"stride {stride} for k {k}");
        Assert.False(Gemm.RowsAlias(stride), $"stride {stride} for k {k}");
        Assert.True(stride - k < 32, $"stride {stride} for k {k}: more than one spare line");
    }
}
