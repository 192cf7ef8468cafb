using Dendrite.Backends.Cpu;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Backends;

/// <summary>GEMM against a naive float64 loop, for awkward shapes, every transpose combination, every micro-kernel and 1-2 threads.</summary>
public class GemmTests
{
    public static TheoryData<int, int, int, bool, bool, int, int> Cases()
    {
        var d = new TheoryData<int, int, int, bool, bool, int, int>();
        int[][] shapes = [[1, 1, 1], [7, 13, 5], [257, 129, 65], [1, 3072, 200], [33, 70, 300], [64, 64, 0], [0, 5, 3], [32, 1100, 200], [64, 513, 70], [65, 40, 33],
            // A B^T on packed panels of B^T (Gemm.UseTransposedPanels): one exact panel, a W2-like last layer, an edge of 6
            // columns with a partial row tile, k = 1, and enough work (512k+ multiply-adds) for two threads to split the panels.
            [16, 10, 32], [64, 10, 128], [33, 48, 70], [17, 1, 40], [64, 16, 300], [64, 48, 300],
            // ... with a longer k: W2's second input gradient (two threads: each packs the panels it takes), an edge of
            // 4 columns, rows split on two threads (the caller packs), and past the dot path's size (4M+ multiply-adds).
            [64, 128, 256], [48, 300, 100], [64, 200, 64], [16, 200, 64], [64, 300, 512],
            // A^T B read in place (Gemm.UseDirectTN): a 26-column edge with partial row tiles, a 22-column edge split
            // between two threads, and both with 203 rows.
            [40, 64, 90], [200, 32, 150], [203, 64, 120]];
        foreach (var s in shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    foreach (int bits in new[] { 512, 256, 0 })
                        foreach (int threads in new[] { 1, 2 })
                            d.Add(s[0], s[1], s[2], ta, tb, bits, threads);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Matches_naive_product(int m, int k, int n, bool transA, bool transB, int bits, int threads)
    {
        var a = Tensor.RandomUniform([m * k], -1f, 1f, seed: 1).ToArray();
        var b = Tensor.RandomUniform([k * n], -1f, 1f, seed: 2).ToArray();
        var c0 = Tensor.RandomUniform([m * n], -1f, 1f, seed: 3).ToArray();
        int lda = transA ? m : k, ldb = transB ? k : n;
        foreach (var (alpha, beta) in new[] { (1f, 0f), (0.5f, -2f) })
        {
            var expected = Naive(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c0);
            var c = (float[])c0.Clone();
            Gemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, n, bits, threads);
            TensorAssert.Close(expected, c, atol: 1e-5f * Math.Max(1, k), rtol: 1e-5f, what: $"{m}x{k}x{n} tA={transA} tB={transB} bits={bits} threads={threads} alpha={alpha} beta={beta}");
        }
    }

    [Fact]
    public void Products_with_transposed_b_and_16_to_64_rows_take_the_packed_panels()
    {
        // The shapes above that must exercise that path (and the ones beside it that must not).
        Assert.True(Gemm.UseTransposedPanels(16, 32, 10));
        Assert.True(Gemm.UseTransposedPanels(64, 128, 10));
        Assert.True(Gemm.UseTransposedPanels(33, 70, 48));
        Assert.True(Gemm.UseTransposedPanels(17, 40, 1));
        Assert.True(Gemm.UseTransposedPanels(64, 300, 16));
        Assert.True(Gemm.UseTransposedPanels(64, 300, 48) && 64L * 300 * 48 >= Gemm.DotParallelThreshold);
        Assert.True(Gemm.UseTransposedPanels(64, 256, 128));
        Assert.True(Gemm.UseTransposedPanels(16, 64, 200) && Gemm.UseTransposedPanels(64, 512, 300));
        Assert.True(64L * 512 * 300 >= Gemm.PackedParallelThreshold && 64L * 64 * 200 >= Gemm.DotParallelThreshold && Gemm.RowSplit(64, 64, 2));
        Assert.False(Gemm.RowSplit(64, 256, 2));
        Assert.False(Gemm.UseTransposedPanels(8, 256, 128));
        Assert.False(Gemm.UseTransposedPanels(7, 5, 13));
        Assert.False(Gemm.UseTransposedPanels(64, 20, 10));
    }

    [Theory]
    [InlineData(203, 120, 64, 0f)]   // partial row tile, 24-column edge, two threads from 512k multiply-adds
    [InlineData(784, 256, 64, 0.5f)] // W2's first weight gradient, added to
    [InlineData(33, 300, 16, 0f)]    // 12-column edge (the one-vector tile)
    public void Transposed_a_read_in_place_gives_the_packed_products_bits(int m, int n, int k, float beta)
    {
        Assert.True(Gemm.UseDirectTN(n, k, m));
        var a = Tensor.RandomUniform([k * m], -1f, 1f, seed: 6).ToArray();
        var b = Tensor.RandomUniform([k * n], -1f, 1f, seed: 7).ToArray();
        var c0 = Tensor.RandomUniform([m * n], -1f, 1f, seed: 8).ToArray();
        float[] packed = (float[])c0.Clone(), one = (float[])c0.Clone(), two = (float[])c0.Clone();
        unsafe
        {
            fixed (float* pa = a, pb = b, pc = packed)
                Gemm.SgemmRows(true, false, m, n, k, 0.75f, pa, m, pb, n, beta, pc, n, 512, 1);   // the packed job on one thread
        }
        Gemm.Sgemm(true, false, m, n, k, 0.75f, a, m, b, n, beta, one, n, 512, 1);
        Gemm.Sgemm(true, false, m, n, k, 0.75f, a, m, b, n, beta, two, n, 512, 2);
        Assert.Equal(packed, one);
        Assert.Equal(packed, two);
    }

    [Fact]
    public void Transposed_a_in_place_needs_a_short_k_a_small_b_and_rows_that_do_not_alias()
    {
        Assert.True(Gemm.UseDirectTN(256, 64, 784));
        Assert.True(Gemm.UseDirectTN(256, 128, 784));
        Assert.False(Gemm.UseDirectTN(256, 129, 784));    // k over one block
        Assert.False(Gemm.UseDirectTN(1024, 64, 784));    // B of 64k floats
        Assert.False(Gemm.UseDirectTN(200, 32, 3072));    // W1's inputs: A's rows 12 KB apart
    }

    [Fact]
    public void Mid_sized_packed_products_split_by_rows()
    {
        // Between the row split's threshold and the shared-B job's: W2's second weight gradient (256x128x64) and the
        // 257x65x129 cases above, checked against the naive product with two threads (and bit for bit against one
        // thread in WorkerPoolTests).
        Assert.True(Gemm.UseRows(256, 256L * 128 * 64, 2));
        Assert.True(Gemm.UseRows(257, 257L * 65 * 129, 2));
        Assert.False(Gemm.UseRows(256, 256L * 128 * 64, 1));
        Assert.False(Gemm.UseRows(784, 784L * 256 * 64, 2));   // the threads share its B blocks
        Assert.False(Gemm.UseRows(200, 200L * 150 * 32, 2));   // under 1M multiply-adds: one thread
        Assert.False(Gemm.UseRows(40, 40L * 300 * 100, 2));    // too few rows to split
    }

    [Fact]
    public void Beta_zero_ignores_garbage_in_c()
    {
        var a = new float[] { 1, 2, 3, 4 };
        var c = new float[] { float.NaN, float.NaN, float.NaN, float.NaN };
        Gemm.Sgemm(false, false, 2, 2, 2, 1f, a, 2, a, 2, 0f, c, 2);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, c);
    }

    [Fact]
    public void Large_product_splits_across_threads_correctly()
    {
        int n = 600;
        var a = Tensor.RandomUniform([n, n], -1f, 1f, seed: 4);
        var b = Tensor.RandomUniform([n, n], -1f, 1f, seed: 5);
        var c1 = new float[n * n];
        var c2 = new float[n * n];
        Gemm.Sgemm(false, false, n, n, n, 1f, a.AsSpan(), n, b.AsSpan(), n, 0f, c1, n, Gemm.KernelBits, 1);
        Gemm.Sgemm(false, false, n, n, n, 1f, a.AsSpan(), n, b.AsSpan(), n, 0f, c2, n, Gemm.KernelBits, 2);
        Assert.Equal(c1, c2);
    }

    [Theory]
    [InlineData(32, 3072, 200)]   // W1's first layer: 4 slices
    [InlineData(64, 784, 256)]    // W2's: 2 slices
    public void Split_k_products_are_the_same_on_any_threads(int m, int k, int n)
    {
        // Few rows and a long k (Gemm.UseSplitK) are cut into slices of k by the shape alone, and the partial products
        // added in slice order: one thread, two, or a nested call inside a pool job (run on the calling thread alone)
        // give the same bits, so training gives the same weights whether or not a worker joined a product.
        Assert.True(Gemm.UseSplitK(m, n, k));
        Assert.False(Gemm.UseSplitK(65, n, k));
        Assert.False(Gemm.UseSplitK(m, 600, 512));
        Assert.False(Gemm.UseSplitK(m, n, 511));
        var a = Tensor.RandomUniform([m * k], -1f, 1f, seed: 6).ToArray();
        var b = Tensor.RandomUniform([k * n], -1f, 1f, seed: 7).ToArray();
        var c0 = Tensor.RandomUniform([m * n], -1f, 1f, seed: 8).ToArray();
        float[] one = (float[])c0.Clone(), two = (float[])c0.Clone(), nested = (float[])c0.Clone();
        Gemm.Sgemm(false, false, m, n, k, 0.5f, a, k, b, n, -2f, one, n, Gemm.KernelBits, 1);
        Gemm.Sgemm(false, false, m, n, k, 0.5f, a, k, b, n, -2f, two, n, Gemm.KernelBits, 2);
        WorkerPool.Run(new OnFirstPart(() => Gemm.Sgemm(false, false, m, n, k, 0.5f, a, k, b, n, -2f, nested, n, Gemm.KernelBits, 2)), 2);
        Assert.Equal(one, two);
        Assert.Equal(one, nested);
        var expected = Naive(false, false, m, n, k, 0.5f, a, k, b, n, -2f, c0);
        TensorAssert.Close(expected, two, atol: 1e-5f * k, rtol: 1e-5f);
    }

    private sealed class OnFirstPart(Action body) : IParallelJob
    {
        public void Execute(int part, int parts)
        {
            if (part == 0) body();
        }
    }

    /// <summary>Two threads sharing packed B blocks: three column blocks (NC is 2048, the last 34 wide), two k blocks
    /// (KC is 512), M blocks of 128 and 72 rows, partial panels, so units are taken from both ends of each share and B is
    /// double-buffered.</summary>
    [Theory]
    [InlineData(false, false, 512)]
    [InlineData(false, true, 512)]
    [InlineData(true, false, 512)]
    [InlineData(true, true, 512)]
    [InlineData(false, false, 256)]
    [InlineData(true, true, 256)]
    public void Shared_packed_blocks_match_naive_product(bool transA, bool transB, int bits)
    {
        const int m = 200, k = 600, n = 4130;
        var a = Tensor.RandomUniform([m * k], -1f, 1f, seed: 6).ToArray();
        var b = Tensor.RandomUniform([k * n], -1f, 1f, seed: 7).ToArray();
        int lda = transA ? m : k, ldb = transB ? k : n;
        var c = Tensor.RandomUniform([m * n], -1f, 1f, seed: 8).ToArray();
        var expected = Naive(transA, transB, m, n, k, 0.5f, a, lda, b, ldb, 2f, c);
        Gemm.Sgemm(transA, transB, m, n, k, 0.5f, a, lda, b, ldb, 2f, c, n, bits, 2);
        TensorAssert.Close(expected, c, atol: 1e-4f, rtol: 1e-5f, what: $"tA={transA} tB={transB} bits={bits}");
    }

    [Theory]
    [InlineData(256, 512, 1024, 1, true)]
    [InlineData(258, 515, 1050, 2, true)]
    [InlineData(300, 600, 4130, 2, true)]
    [InlineData(256, 512, 1024, 1, false)]
    [InlineData(258, 515, 1050, 2, false)]
    [InlineData(300, 600, 4130, 2, false)]
    public void Dense_shaped_products_computed_swapped_match_naive_product(int m, int k, int n, int threads, bool transB)
    {
        // A op(B) at a dense layer's forward and input-gradient shapes goes through (op(B)^T A^T)^T (Gemm.UseSwapped):
        // odd m and n leave rows and columns outside the 16x16 transpose blocks; padded leading dimensions must be
        // honoured and C's padding left alone.
        Assert.True(Gemm.UseSwapped(m, n, k));
        Assert.False(Gemm.UseSwapped(128, n, k));
        Assert.False(Gemm.UseSwapped(m, n, 256));
        Assert.False(Gemm.UseSwapped(m, 3 * m, k));
        Assert.False(Gemm.UseSwapped(1024, 8192, k));   // 8M floats of C: not buffered per thread
        int lda = k + 3, ldb = (transB ? k : n) + 5, ldc = n + 7;
        var a = Tensor.RandomUniform([m * lda], -1f, 1f, seed: 11).ToArray();
        var b = Tensor.RandomUniform([(transB ? n : k) * ldb], -1f, 1f, seed: 12).ToArray();
        var c = Enumerable.Repeat(float.NaN, m * ldc).ToArray();
        for (int i = 0; i < m; i++) Array.Fill(c, 9f, i * ldc + n, 7);
        var expected = Naive(false, transB, m, n, k, 0.5f, a, lda, b, ldb, 0f, new float[m * n]);
        Gemm.Sgemm(false, transB, m, n, k, 0.5f, a, lda, b, ldb, 0f, c, ldc, 512, threads);
        var rows = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            Array.Copy(c, i * ldc, rows, i * n, n);
            Assert.All(c.AsSpan(i * ldc + n, 7).ToArray(), v => Assert.Equal(9f, v));
        }
        TensorAssert.Close(expected, rows, atol: 1e-5f * k, rtol: 1e-5f, what: $"{m}x{k}x{n} tB={transB} swapped, threads={threads}");
    }

    /// <summary>alpha op(A) op(B) + beta C summed in float64 (row by row of A, so that large shapes stay quick).</summary>
    private static float[] Naive(bool transA, bool transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c)
    {
        var sum = new double[n];
        var result = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            Array.Clear(sum);
            for (int p = 0; p < k; p++)
            {
                double av = transA ? a[p * lda + i] : a[i * lda + p];
                for (int j = 0; j < n; j++) sum[j] += av * (transB ? b[j * ldb + p] : b[p * ldb + j]);
            }
            for (int j = 0; j < n; j++) result[i * n + j] = (float)(alpha * sum[j] + beta * c[i * n + j]);
        }
        return result;
    }

    [Fact]
    public void Rejects_buffers_too_small_for_the_shape()
    {
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 2, 1f, new float[3], 2, new float[4], 2, 0f, new float[4], 2));
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 2, 1f, new float[4], 2, new float[4], 2, 0f, new float[3], 2));
    }
}
