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

    /// <summary>y = the convolution of x with kernel (cross-correlation, Keras layout; see <see cref="ConvSpec"/>).</summary>
    void Conv2D(Tensor x, Tensor kernel, Tensor y, ConvSpec spec);

    /// <summary>y = op(conv(x, kernel) + bias) (bias per filter, none when null; op null for linear), for inference: the
    /// same values as <see cref="Conv2D"/> then <see cref="BiasActivation"/>, in one pass where the backend can.</summary>
    void Conv2DBiasActivation(Tensor x, Tensor kernel, Tensor? bias, UnaryOp? op, float alpha, Tensor y, ConvSpec spec);

    /// <summary>dx = beta dx + the gradient of <see cref="Conv2D"/> with respect to its input (also a transposed convolution).</summary>
    void Conv2DInputGrad(Tensor dy, Tensor kernel, Tensor dx, ConvSpec spec, float beta);

    /// <summary>dkernel = beta dkernel + the gradient of <see cref="Conv2D"/> with respect to its kernel.</summary>
    void Conv2DKernelGrad(Tensor x, Tensor dy, Tensor dkernel, ConvSpec spec, float beta);
    /// <summary>
    /// Max pooling of channels-last x (N, H, W, C) into y (N, OH, OW, C); <paramref name="argmax"/> (y's shape) receives
    /// the winning window cell of each output (kh * PoolW + kw, the first maximum on ties).
    /// </summary>
    void MaxPool2D(Tensor x, Pool2DGeometry g, Tensor y, Tensor argmax);

    /// <summary>dx = the max-pooling gradient: each dy scattered to its argmax cell (dx is overwritten).</summary>
    void MaxPool2DGrad(Tensor dy, Tensor argmax, Pool2DGeometry g, Tensor dx);

    /// <summary>Average pooling of channels-last x (N, H, W, C) into y; each window divides by its count of real (unpadded) cells.</summary>
    void AvgPool2D(Tensor x, Pool2DGeometry g, Tensor y);

    /// <summary>dx = the average-pooling gradient (dx is overwritten).</summary>
    void AvgPool2DGrad(Tensor dy, Pool2DGeometry g, Tensor dx);

    /// <summary>
    /// Per-channel mean and biased variance of x over every axis but the last (C = mean.Size); when moving statistics
    /// are given they become moving * momentum + batch * (1 - momentum).
    /// </summary>
    void BatchNormStatistics(Tensor x, Tensor mean, Tensor variance, Tensor? movingMean, Tensor? movingVariance, float momentum);

    /// <summary>y = (x - mean) * gamma / sqrt(variance + epsilon) + beta along the last axis (gamma 1 and beta 0 when null).</summary>
    void BatchNorm(Tensor x, Tensor mean, Tensor variance, Tensor? gamma, Tensor? beta, float epsilon, Tensor y);

    /// <summary>
    /// Batch normalization's gradient: dgamma = sum dy * xhat, dbeta = sum dy and dx (when not null), through the batch
    /// statistics when <paramref name="batchStatistics"/> (mean and variance were computed from x), else with them fixed.
    /// </summary>
    void BatchNormGrad(Tensor x, Tensor dy, Tensor mean, Tensor variance, Tensor? gamma, float epsilon, bool batchStatistics,
        Tensor? dx, Tensor dgamma, Tensor dbeta);

    /// <summary>y = LeakyReLU(batch_norm(x), slope) in one pass: <see cref="BatchNorm"/>, then x where positive, else
    /// slope x (slope >= 0).</summary>
    void BatchNormLeakyRelu(Tensor x, Tensor mean, Tensor variance, Tensor? gamma, Tensor? beta, float epsilon, float slope, Tensor y);

    /// <summary>
    /// The gradient of <see cref="BatchNormLeakyRelu"/> with batch statistics, given its output y: the activation's
    /// gradient (dy where y > 0, else slope dy) applied inside <see cref="BatchNormGrad"/>'s two passes.
    /// </summary>
    void BatchNormLeakyReluGrad(Tensor x, Tensor y, float slope, Tensor dy, Tensor mean, Tensor variance, Tensor? gamma,
        float epsilon, Tensor? dx, Tensor dgamma, Tensor dbeta);

    /// <summary>
    /// Inference batch normalization folded into the linear map before it: with s = gamma / sqrt(variance + epsilon) per
    /// output channel (the kernel's last axis), kernelOut = kernel * s and biasOut = (bias - mean) * s + beta.
    /// </summary>
    void FoldBatchNorm(Tensor kernel, Tensor? bias, Tensor mean, Tensor variance, Tensor? gamma, Tensor? beta, float epsilon,
        Tensor kernelOut, Tensor biasOut);

    /// <summary>
    /// Layer normalization of each of mean.Size rows of x (x.Size / mean.Size values each): y = (x - mean) / sqrt(var + epsilon)
    /// * gamma + beta; mean and invStd (one per row) are kept for the gradient.
    /// </summary>
    void LayerNorm(Tensor x, Tensor? gamma, Tensor? beta, float epsilon, Tensor y, Tensor mean, Tensor invStd);

    /// <summary>Layer normalization's gradient from the saved row statistics; dgamma/dbeta are overwritten when given.</summary>
    void LayerNormGrad(Tensor x, Tensor dy, Tensor? gamma, Tensor mean, Tensor invStd, Tensor? dx, Tensor? dgamma, Tensor? dbeta);
    /// <summary>Runs a recurrent layer over every step (one input GEMM, per step one recurrent GEMM and one fused gate kernel).</summary>
    void RecurrentForward(RecurrentArgs args);

    /// <summary>Back-propagates through every step of <see cref="RecurrentForward"/> from <see cref="RecurrentArgs.DOutput"/>.</summary>
    void RecurrentBackward(RecurrentArgs args);

    /// <summary>y[i] = table[ids[i]] (rows of a (vocabulary, width) table; ids are floats holding valid whole numbers).</summary>
    void EmbeddingLookup(Tensor table, Tensor ids, Tensor y);

    /// <summary>dTable[ids[i]] += dy[i] (the gradient of <see cref="EmbeddingLookup"/>; repeated ids add up).</summary>
    void EmbeddingGrad(Tensor dy, Tensor ids, Tensor dTable);
}
