using Dendrite.Backends;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// Ops on preallocated tensors that record nothing: the building blocks of compiled train and predict steps
    /// (<see cref="Training.Compiled.CompiledStep"/>), which own their buffers and compute gradients themselves.
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

        /// <summary>y = op(x + bias) in one pass; z keeps x + bias when given.</summary>
        public static void BiasActivation(Tensor x, Tensor? bias, UnaryOp? op, float alpha, Tensor? z, Tensor y) =>
            B.BiasActivation(x, bias, op, alpha, z, y);

        /// <summary>y = op(x).</summary>
        public static void Unary(UnaryOp op, Tensor x, Tensor y, float alpha = 0f) => B.Unary(op, x, y, alpha);

        /// <summary>dx = op'(x, y) dy (dx may be dy).</summary>
        public static void UnaryGrad(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx, float alpha = 0f) => B.UnaryGrad(op, x, y, dy, dx, alpha);

        /// <summary>y = op(a, b) for tensors of one shape.</summary>
        public static void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y) => B.Binary(op, a, b, y);

        /// <summary>Column sums of a (rows, width) tensor into a width-long one.</summary>
        public static void SumRows(Tensor x, Tensor y) => B.SumRows(x, y);

        /// <summary>The sum of every element.</summary>
        public static float Sum(Tensor x) => B.Sum(x);

        /// <summary>Softmax over the last axis.</summary>
        public static void Softmax(Tensor x, Tensor y) => B.Softmax(x, x.Rank - 1, y, false);

        /// <summary>Gradient of softmax over the last axis from its output.</summary>
        public static void SoftmaxGrad(Tensor y, Tensor dy, Tensor dx) => B.SoftmaxGrad(y, dy, y.Rank - 1, dx, false);

        /// <summary>Per-row softmax cross-entropy of logits against label rows; probs receives the softmax.</summary>
        public static void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor probs) =>
            B.SoftmaxCrossEntropy(logits, labels, loss, probs);

        /// <summary>dz = scale (probs sum(labels) - labels) per row.</summary>
        public static void SoftmaxCrossEntropyGrad(Tensor probs, Tensor labels, float scale, Tensor dz) =>
            B.SoftmaxCrossEntropyGrad(probs, labels, scale, dz);

        /// <summary>y = the given rows of x (first axis).</summary>
        public static void GatherRows(Tensor x, ReadOnlySpan<int> rows, Tensor y) => B.GatherRows(x, rows, y);

        /// <summary>How many lanes <see cref="RunLanes"/> runs at once.</summary>
        public static int Lanes => B.Lanes;

        /// <summary>Runs body(0..lanes-1), concurrently where the backend can; kernels inside a lane run on it alone.</summary>
        public static void RunLanes(int lanes, Action<int> body) => B.RunLanes(lanes, body);
    }
}
