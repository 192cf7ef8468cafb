using Dendrite.Backends.Cpu;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Backends;

/// <summary>Tiles of 1-4 rows (the 4-row kernel, and one row over four panels at a time) give each row the bits the
/// 8-row kernel gives it: on the direct path
/// (B unpacked, k below the split along k) and on prediction's packed panels, rows 0..m-1 of an m-row product equal
/// those rows of a 16-row product (two 8-row tiles), and a 12-row product's last 4 rows equal rows 8-11 of it.</summary>
public class FewRowTileTests
{
    [Theory]
    [InlineData(300, 64)]
    [InlineData(200, 96)]
    [InlineData(784, 256)]
    [InlineData(150, 160)]
    [InlineData(120, 200)]
    [InlineData(1500, 256)]
    public unsafe void Few_row_tiles_match_the_8_row_tile(int k, int n)
    {
        if (Gemm.KernelBits != 512) return;
        const int big = 16;
        var a = Tensor.RandomUniform([big * k], -1f, 1f, seed: 31).ToArray();
        var b = Tensor.RandomUniform([k * n], -1f, 1f, seed: 32).ToArray();
        fixed (float* pa = a, pb = b)
        {
            using var packed = new Gemm.PackedPanels(pb, n, k, n);
            var fullPacked = new float[big * n];
            fixed (float* pc = fullPacked) Gemm.SgemmPacked(big, pa, k, packed, pc, n, 1);
            var fullDirect = new float[big * n];
            bool direct = !Gemm.UseSplitK(big, n, k);
            if (direct) Gemm.Sgemm(false, false, big, n, k, 1f, a, k, b, n, 0f, fullDirect, n, 512, 1);
            foreach (int m in new[] { 1, 2, 3, 4, 12 })
            {
                var part = new float[m * n];
                fixed (float* pc = part) Gemm.SgemmPacked(m, pa, k, packed, pc, n, 1);
                Assert.Equal(fullPacked.AsSpan(0, m * n).ToArray(), part);
                if (!direct) continue;
                var partDirect = new float[m * n];
                Gemm.Sgemm(false, false, m, n, k, 1f, a.AsSpan(0, m * k), k, b, n, 0f, partDirect, n, 512, 1);
                Assert.Equal(fullDirect.AsSpan(0, m * n).ToArray(), partDirect);
            }
        }
    }
}
