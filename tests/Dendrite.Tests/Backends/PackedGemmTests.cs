using Dendrite.Backends.Cpu;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Backends;

/// <summary>
/// The packed right operand of prediction (32-column panels plus dot-product edge columns) against a naive float64
/// loop: edges of every width class, k with and without a tail of k % 16 values, row counts that leave partial tiles.
/// </summary>
public class PackedGemmTests
{
    public static TheoryData<int, int, int, int> Cases()
    {
        var d = new TheoryData<int, int, int, int>();
        int[][] shapes =
        [
            [1, 1, 1], [2, 15, 8], [3, 16, 10], [5, 17, 31], [7, 150, 32], [9, 33, 33], [4, 200, 150],
            [256, 3072, 200], [130, 150, 10], [64, 784, 256], [17, 5, 47], [40, 31, 64],
        ];
        foreach (var s in shapes)
            foreach (int threads in new[] { 1, 2 })
                d.Add(s[0], s[1], s[2], threads);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public unsafe void Matches_naive_product(int m, int k, int n, int threads)
    {
        if (Gemm.KernelBits != 512)
        {
            Assert.Null(CpuBackend.Instance.Pack(Tensor.Zeros([k, n])));
            return;
        }
        // A with a few spare rows on both sides: the product reads rows from an offset and must not touch the others.
        const int before = 2;
        var a = Tensor.RandomUniform([(m + before + 1) * k], -1f, 1f, seed: 1).ToArray();
        var b = Tensor.RandomUniform([k * n], -1f, 1f, seed: 2).ToArray();
        var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
        var expected = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)a[(before + i) * k + p] * b[p * n + j];
                expected[i * n + j] = (float)s;
            }
        fixed (float* pa = a, pb = b, pc = c)
        {
            using var packed = new Gemm.PackedPanels(pb, n, k, n);
            Assert.Equal(n / 32, packed.FullPanels);
            Gemm.SgemmPacked(m, pa + before * k, k, packed, pc, n, threads);
        }
        TensorAssert.Close(expected, c, atol: 1e-5f * Math.Max(1, k), rtol: 1e-5f, what: $"packed {m}x{k}x{n} threads={threads}");
    }

    [Fact]
    public void Backend_product_through_a_packed_kernel_matches_the_plain_one()
    {
        var backend = CpuBackend.Instance;
        var x = Tensor.RandomUniform([37, 150], -1f, 1f, seed: 3);
        var w = Tensor.RandomUniform([150, 45], -1f, 1f, seed: 4);
        using var packed = backend.Pack(w);
        if (packed is null) { Assert.NotEqual(512, Gemm.KernelBits); return; }
        var viaPacked = Tensor.Zeros([30, 45]);
        backend.MatMulPacked(x, 7, packed, viaPacked);
        var plain = Tensor.Zeros([30, 45]);
        var rows = Tensor.FromArray(x.ToArray()[(7 * 150)..(37 * 150)], [30, 150]);
        backend.GemmBatched(false, false, 30, 45, 150, 1f, rows, 0, w, 0, 0f, plain, 0, 1);
        TensorAssert.Close(plain.ToArray(), viaPacked.ToArray(), atol: 1e-5f, rtol: 1e-5f, what: "MatMulPacked rows 7..37");
    }
}
