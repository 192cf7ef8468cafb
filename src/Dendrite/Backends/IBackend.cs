namespace Dendrite.Backends;

/// <summary>
/// Storage-level kernels, named by operator so that another backend (CUDA) can map each to its own kernel.
/// Ops allocate outputs and call these; layers and models never see a backend.
/// </summary>
public interface IBackend
{
    /// <summary>A short name, e.g. "cpu".</summary>
    string Name { get; }

    /// <summary>y = op(x) elementwise; alpha and beta are the op's parameters (slope, clip bounds, ...).</summary>
    void Unary(UnaryOp op, Tensor x, Tensor y, float alpha = 0f, float beta = 0f);

    /// <summary>dx = op'(x, y) * dy elementwise.</summary>
    void UnaryGrad(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx, float alpha = 0f, float beta = 0f);

    /// <summary>y = op(a, b) with a and b broadcast to y's shape.</summary>
    void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y);

    /// <summary>y = cond != 0 ? a : b, all broadcast to y's shape.</summary>
    void Where(Tensor cond, Tensor a, Tensor b, Tensor y);

    /// <summary>Reduces x into y, whose shape is x's with the reduced axes set to 1.</summary>
    void Reduce(ReduceOp op, Tensor x, Tensor y);

    /// <summary>Index of the max (or min) along one axis; y has x's shape with that axis set to 1.</summary>
    void ArgReduce(bool max, Tensor x, int axis, Tensor y);

    /// <summary>Strided batched GEMM: for each batch i, C_i = alpha op(A_i) op(B_i) + beta C_i (row-major; a stride of 0 shares a matrix).</summary>
    void GemmBatched(bool transA, bool transB, int m, int n, int k, float alpha, Tensor a, int strideA, Tensor b, int strideB,
        float beta, Tensor c, int strideC, int batch);

    /// <summary>
    /// y = op(x + bias), the bias added along the last axis (none when null) and op the identity when null: a dense
    /// layer's epilogue in one pass. When <paramref name="z"/> is given it receives x + bias (an activation's gradient needs it).
    /// </summary>
    void BiasActivation(Tensor x, Tensor? bias, UnaryOp? op, float alpha, Tensor? z, Tensor y);

    /// <summary>y[j] = the sum over rows r of x[r, j], for x of y.Size columns (a bias gradient).</summary>
    void SumRows(Tensor x, Tensor y);

    /// <summary>Packs a (k, n) right operand for repeated products (<see cref="MatMulPacked"/>); null when the backend has no faster layout.</summary>
    PackedMatrix? Pack(Tensor b);

    /// <summary>c = rows [aRow, aRow + c.rows) of the (?, k) matrix a times the packed operand.</summary>
    void MatMulPacked(Tensor a, int aRow, PackedMatrix b, Tensor c);

    /// <summary>The sum of every element (accurate for long tensors).</summary>
    float Sum(Tensor x);

    /// <summary>dz = scale * (probs * sum(labels) - labels) per row of the last axis: the softmax cross-entropy gradient.</summary>
    void SoftmaxCrossEntropyGrad(Tensor probs, Tensor labels, float scale, Tensor dz);

    /// <summary>y[j] = x[rows[j]] along the first axis (y holds rows.Length rows).</summary>
    void GatherRows(Tensor x, ReadOnlySpan<int> rows, Tensor y);

    /// <summary>How many lanes <see cref="RunLanes"/> runs at the same time (1 when it runs them in turn).</summary>
    int Lanes { get; }

    /// <summary>
    /// Runs <paramref name="body"/>(0) .. body(lanes - 1), concurrently where the backend can, and returns when all are
    /// done. Kernels called from inside a lane run on that lane alone, so independent work (prediction batches split by
    /// rows) runs without a barrier between its kernels.
    /// </summary>
    void RunLanes(int lanes, Action<int> body);

    /// <summary>Softmax (or log-softmax) along an axis.</summary>
    void Softmax(Tensor x, int axis, Tensor y, bool log);

    /// <summary>Gradient of softmax (or log-softmax) from its output y and output gradient dy.</summary>
    void SoftmaxGrad(Tensor y, Tensor dy, int axis, Tensor dx, bool log);

    /// <summary>Per-row cross-entropy of softmax(logits) against label distributions over the last axis; also writes the probabilities.</summary>
    void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor probs);

    /// <summary>y = x with its axes permuted (y axis i is x axis perm[i]).</summary>
    void Permute(Tensor x, int[] perm, Tensor y);

    /// <summary>y = x[begin .. begin + y.Shape] (a box slice).</summary>
    void Slice(Tensor x, int[] begin, Tensor y);

    /// <summary>dst[begin .. begin + src.Shape] = src, or += src when accumulating.</summary>
    void SliceAssign(Tensor src, int[] begin, Tensor dst, bool accumulate);

    /// <summary>y = x.take(indices, axis).</summary>
    void Gather(Tensor x, int[] indices, int axis, Tensor y);

    /// <summary>dx.take(indices, axis) += dy (the gradient of Gather; repeated indices add up).</summary>
    void ScatterAdd(Tensor dy, int[] indices, int axis, Tensor dx);

    /// <summary>Runs a recurrent layer over every step (one input GEMM, per step one recurrent GEMM and one fused gate kernel).</summary>
    void RecurrentForward(RecurrentArgs args);

    /// <summary>Back-propagates through every step of <see cref="RecurrentForward"/> from <see cref="RecurrentArgs.DOutput"/>.</summary>
    void RecurrentBackward(RecurrentArgs args);

    /// <summary>y[i] = table[ids[i]] (rows of a (vocabulary, width) table; ids are floats holding valid whole numbers).</summary>
    void EmbeddingLookup(Tensor table, Tensor ids, Tensor y);

    /// <summary>dTable[ids[i]] += dy[i] (the gradient of <see cref="EmbeddingLookup"/>; repeated ids add up).</summary>
    void EmbeddingGrad(Tensor dy, Tensor ids, Tensor dTable);
}
