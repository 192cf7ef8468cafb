using Dendrite.Backends;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// Backend calls on preallocated tensors that record nothing (packing, row gathering, inference lanes).
    /// Every tensor here is a 2-D (rows, width) view unless said otherwise.
    /// </summary>
    internal static class Direct
    {
        /// <summary>c = op(a) · op(b) + beta c for 2-D a (m, k) and b (k, n) (or their transposes).</summary>
        public static void MatMul(Tensor a, bool transA, Tensor b, bool transB, Tensor c, float beta = 0f)
        {
            int m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1];
            int n = transB ? b.Shape[0] : b.Shape[1];
            B.GemmBatched(transA, transB, m, n, k, 1f, a, 0, b, 0, beta, c, 0, 1);
        }

        /// <summary>A packed copy of a (k, n) right operand for repeated products, or null when the backend has none.</summary>
        public static PackedMatrix? Pack(Tensor b) => B.Pack(b);

        /// <summary>c = rows aRow.. of a times a packed operand.</summary>
        public static void MatMulPacked(Tensor a, int aRow, PackedMatrix b, Tensor c) => B.MatMulPacked(a, aRow, b, c);

        /// <summary>y = the given rows of x (first axis).</summary>
        public static void GatherRows(Tensor x, ReadOnlySpan<int> rows, Tensor y) => B.GatherRows(x, rows, y);

        /// <summary>How many lanes <see cref="RunLanes"/> runs at once.</summary>
        public static int Lanes => B.Lanes;

        /// <summary>Runs body(0..lanes-1), concurrently where the backend can; kernels inside a lane run on it alone.</summary>
        public static void RunLanes(int lanes, Action<int> body) => B.RunLanes(lanes, body);
    }
}
