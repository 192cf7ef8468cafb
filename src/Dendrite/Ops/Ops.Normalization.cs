using Dendrite.Autodiff;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// (x - mean) * scale / sqrt(variance + epsilon) + offset along the last axis (Keras <c>ops.batch_normalization</c>
    /// with axis -1); scale 1 and offset 0 when null. Gradients flow to x, scale and offset (mean and variance are constants).
    /// </summary>
    public static Tensor BatchNormalization(Tensor x, Tensor mean, Tensor variance, Tensor? offset = null, Tensor? scale = null, float epsilon = 1e-3f)
    {
        CheckChannels(x, "batch_normalization", mean, variance, offset, scale);
        var y = Tensor.Empty(x.Shape);
        B.BatchNorm(x, mean, variance, scale, offset, epsilon, y);
        return RecordBatchNorm(y, x, mean, variance, scale, offset, epsilon, batchStatistics: false);
    }

    /// <summary>
    /// Training-mode batch normalization over the last axis: normalizes with the batch's mean and biased variance and,
    /// when moving statistics are given, updates them in place (moving * momentum + batch * (1 - momentum); no gradient).
    /// </summary>
    internal static Tensor BatchNormalizationTraining(Tensor x, Tensor? scale, Tensor? offset, float epsilon,
        Tensor? movingMean, Tensor? movingVariance, float momentum)
    {
        var (mean, variance) = BatchStatistics(x, scale, offset, movingMean, movingVariance, momentum);
        var y = Tensor.Empty(x.Shape);
        B.BatchNorm(x, mean, variance, scale, offset, epsilon, y);
        return RecordBatchNorm(y, x, mean, variance, scale, offset, epsilon, batchStatistics: true);
    }

    /// <summary>
    /// <see cref="BatchNormalizationTraining"/> followed by LeakyReLU (negative slope >= 0) as one op: one pass for the
    /// statistics, one for the normalized and activated output; the backward applies the activation's gradient (read
    /// from the output) inside the normalization's two passes. The same values as the two ops one after the other.
    /// </summary>
    internal static Tensor BatchNormalizationLeakyReluTraining(Tensor x, Tensor? scale, Tensor? offset, float epsilon,
        Tensor? movingMean, Tensor? movingVariance, float momentum, float slope)
    {
        var (mean, variance) = BatchStatistics(x, scale, offset, movingMean, movingVariance, momentum);
        var y = Tensor.Empty(x.Shape);
        B.BatchNormLeakyRelu(x, mean, variance, scale, offset, epsilon, slope, y);
        if (Tape.Record(y, "batch_normalization_leaky_relu", BatchNormLeakyReluBackward, x, scale, offset) is { } node)
        {
            node.T0 = mean; node.T1 = variance; node.T2 = y;
            node.F0 = epsilon; node.F1 = slope;
        }
        return y;
    }

    /// <summary>The checks and the batch's mean and biased variance of a training-mode batch normalization (the moving
    /// statistics, when given, updated in place).</summary>
    private static (Tensor Mean, Tensor Variance) BatchStatistics(Tensor x, Tensor? scale, Tensor? offset,
        Tensor? movingMean, Tensor? movingVariance, float momentum)
    {
        if (x.Rank == 0) throw new ArgumentException("batch_normalization: needs an input with a channel axis, got a scalar.", nameof(x));
        int c = x.Shape[^1];
        CheckChannels(x, "batch_normalization", null, null, offset, scale);
        var mean = Tensor.Empty([c]);
        var variance = Tensor.Empty([c]);
        B.BatchNormStatistics(x, mean, variance, movingMean, movingVariance, momentum);
        return (mean, variance);
    }

    private static void BatchNormLeakyReluBackward(Node node, Tensor dy)
    {
        var g = BatchNormGradients.For(node);
        B.BatchNormLeakyReluGrad(node.Input(0)!, node.T2!, node.F1, dy, node.T0!, node.T1!, node.Input(1), node.F0, g.Dx, g.DGamma, g.DBeta);
        g.SetOn(node);
    }

    private static Tensor RecordBatchNorm(Tensor y, Tensor x, Tensor mean, Tensor variance, Tensor? scale, Tensor? offset, float epsilon, bool batchStatistics)
    {
        if (Tape.Record(y, "batch_normalization", BatchNormBackward, x, scale, offset) is { } node)
        {
            node.T0 = mean; node.T1 = variance;
            node.F0 = epsilon; node.I0 = batchStatistics ? 1 : 0;
        }
        return y;
    }

    private static void BatchNormBackward(Node node, Tensor dy)
    {
        var g = BatchNormGradients.For(node);
        B.BatchNormGrad(node.Input(0)!, dy, node.T0!, node.T1!, node.Input(1), node.F0, node.I0 != 0, g.Dx, g.DGamma, g.DBeta);
        g.SetOn(node);
    }

    /// <summary>The gradient buffers of a batch normalization's backward (inputs x, gamma, beta; the batch mean in
    /// <c>T0</c>): gamma's and beta's gradients go straight into their stale gradient buffers when they have them.</summary>
    private readonly struct BatchNormGradients
    {
        public readonly Tensor? Dx, GammaInto, BetaInto;
        public readonly Tensor DGamma, DBeta;

        private BatchNormGradients(Node node)
        {
            Tensor x = node.Input(0)!;
            int c = node.T0!.Size;
            Dx = x.RequiresGrad ? Tensor.Empty(x.Shape) : null;
            GammaInto = StaleLeafGradient(node.Input(1));
            BetaInto = StaleLeafGradient(node.Input(2));
            DGamma = GammaInto ?? Tensor.Empty([c]);
            DBeta = BetaInto ?? Tensor.Empty([c]);
        }

        public static BatchNormGradients For(Node node) => new(node);

        /// <summary>Hands the gradients to the node, or marks the leaves' buffers as written.</summary>
        public void SetOn(Node node)
        {
            Tensor? scale = node.Input(1), offset = node.Input(2);
            if (GammaInto is not null) scale!.GradIsStale = false;
            if (BetaInto is not null) offset!.GradIsStale = false;
            node.SetGrad(0, Dx);
            if (scale is not null && GammaInto is null) node.SetGrad(1, DGamma);
            if (offset is not null && BetaInto is null) node.SetGrad(2, DBeta);
        }
    }

    /// <summary>
    /// A kernel (last axis: output channels) and bias with an inference batch normalization of their output folded in:
    /// conv(x, kernel') + bias' equals BN(conv(x, kernel) + bias) with the moving statistics. Not differentiable (a
    /// prediction-time rewrite); the results are tensors of the caller's scope.
    /// </summary>
    internal static (Tensor Kernel, Tensor Bias) FoldBatchNorm(Tensor kernel, Tensor? bias, Tensor mean, Tensor variance,
        Tensor? gamma, Tensor? beta, float epsilon)
    {
        if (kernel.Rank == 0 || kernel.Shape[^1] != mean.Size)
            throw new ArgumentException($"fold_batch_normalization: a kernel of shape {kernel.Shape} does not end in the {mean.Size} channels.", nameof(kernel));
        var k = Tensor.Empty(kernel.Shape);
        var b = Tensor.Empty(mean.Shape);
        B.FoldBatchNorm(kernel, bias, mean, variance, gamma, beta, epsilon, k, b);
        return (k, b);
    }

    /// <summary>A leaf's gradient buffer when it is stale (this step's gradient may overwrite it), else null
    /// (BatchNormalization's gamma and beta, Dense's bias). See <see cref="GradientBuffer"/>.</summary>
    private static Tensor? StaleLeafGradient(Tensor? leaf) => GradientBuffer(leaf) is { } g && leaf!.GradIsStale ? g : null;

    /// <summary>
    /// Layer normalization over the trailing <paramref name="axes"/> (Keras <c>ops.layer_normalization</c>): each sample's
    /// values on those axes are normalized with their mean and biased variance, then scaled by gamma and shifted by beta.
    /// </summary>
    public static Tensor LayerNormalization(Tensor x, Tensor? gamma = null, Tensor? beta = null, int[]? axes = null, float epsilon = 1e-3f)
    {
        var ax = (axes ?? [-1]).Select(a => x.Shape.NormalizeAxis(a)).Order().ToArray();
        for (int i = 0; i < ax.Length; i++)
            if (ax[i] != x.Rank - ax.Length + i)
                throw new ArgumentException($"layer_normalization: the axes must be the trailing axes of the input, got [{string.Join(", ", axes ?? [-1])}] for shape {x.Shape}.", nameof(axes));
        int d = 1;
        foreach (int a in ax) d *= x.Shape[a];
        foreach (var (t, what) in new[] { (gamma, "gamma"), (beta, "beta") })
            if (t is not null && t.Size != d)
                throw new ArgumentException($"layer_normalization: {what} needs {d} values for shape {x.Shape} over axes [{string.Join(", ", ax)}], got shape {t.Shape}.");
        int rows = d == 0 ? 0 : x.Size / d;
        var y = Tensor.Empty(x.Shape);
        var mean = Tensor.Empty([rows]);
        var invStd = Tensor.Empty([rows]);
        B.LayerNorm(x, gamma, beta, epsilon, y, mean, invStd);
        var inputs = new List<Tensor> { x };
        if (gamma is not null) inputs.Add(gamma);
        if (beta is not null) inputs.Add(beta);
        return Tape.Record(y, "layer_normalization", inputs.ToArray(), dy =>
        {
            var dx = x.RequiresGrad ? Tensor.Empty(x.Shape) : null;
            var dgamma = gamma is { RequiresGrad: true } ? Tensor.Empty(gamma.Shape) : null;
            var dbeta = beta is { RequiresGrad: true } ? Tensor.Empty(beta.Shape) : null;
            B.LayerNormGrad(x, dy, gamma, mean, invStd, dx, dgamma, dbeta);
            var grads = new List<Tensor?> { dx };
            if (gamma is not null) grads.Add(dgamma);
            if (beta is not null) grads.Add(dbeta);
            return grads.ToArray();
        });
    }

    private static void CheckChannels(Tensor x, string who, Tensor? mean, Tensor? variance, Tensor? offset, Tensor? scale)
    {
        if (x.Rank == 0) throw new ArgumentException($"{who}: needs an input with a channel axis, got a scalar.", nameof(x));
        CheckChannelCount(x, who, mean, "mean");
        CheckChannelCount(x, who, variance, "variance");
        CheckChannelCount(x, who, offset, "offset");
        CheckChannelCount(x, who, scale, "scale");
    }

    private static void CheckChannelCount(Tensor x, string who, Tensor? t, string what)
    {
        if (t is not null && t.Size != x.Shape[^1])
            throw new ArgumentException($"{who}: {what} needs {x.Shape[^1]} values (the input's last axis, shape {x.Shape}), got shape {t.Shape}.");
    }
}
