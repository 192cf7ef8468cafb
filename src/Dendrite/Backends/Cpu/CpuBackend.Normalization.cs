using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Backends.Cpu;

// Batch normalization over the last axis (x viewed as rows of C channels) and layer normalization over rows.
// BatchNormalization's passes are BatchNormKernels (one pass for the sums, one for the affine output); layer
// normalization keeps per-part partials (float within rows, then combined).
internal sealed partial class CpuBackend
{
    public unsafe void BatchNormStatistics(Tensor x, Tensor mean, Tensor variance, Tensor? movingMean, Tensor? movingVariance, float momentum)
    {
        int c = mean.Size, rows = c == 0 ? 0 : x.Size / c;
        if (rows == 0) throw new ArgumentException($"BatchNormalization statistics need at least one row of {c} channels, got shape {x.Shape}.");
        // One pass: sums of d and d^2 for d = x - (the first row), in float within blocks and double across them.
        var shift = BatchNormKernels.Scratch(c);
        var sums = DoubleScratch(2 * c);
        fixed (float* px = x.Data, center = shift)
        fixed (double* s = sums)
        {
            new ReadOnlySpan<float>(px, c).CopyTo(new Span<float>(center, c));
            BatchNormKernels.Sums(px, null, center, rows, c, s, s + c);
            for (int k = 0; k < c; k++)
            {
                double d = s[k] / rows;
                mean.Data[k] = (float)(center[k] + d);
                variance.Data[k] = (float)Math.Max(s[c + k] / rows - d * d, 0);
            }
        }
        if (movingMean is not null) Blend(movingMean.AsSpan(), mean.AsSpan(), momentum);
        if (movingVariance is not null) Blend(movingVariance.AsSpan(), variance.AsSpan(), momentum);
    }

    private static void Blend(Span<float> moving, ReadOnlySpan<float> batch, float momentum)
    {
        for (int k = 0; k < moving.Length; k++) moving[k] = moving[k] * momentum + batch[k] * (1f - momentum);
    }

    [ThreadStatic] private static double[]? _doubleScratch;

    private static double[] DoubleScratch(int length) => ThreadScratch.Get(ref _doubleScratch, length);

    // Layer normalization's gradient: the parts' partial sums (the calling thread's) and each part's row buffers (the
    // running thread's), per thread (ThreadScratch).
    [ThreadStatic] private static float[]? _layerNormPartials, _layerNormRows;

    public void BatchNorm(Tensor x, Tensor mean, Tensor variance, Tensor? gamma, Tensor? beta, float epsilon, Tensor y) =>
        BatchNorm(x, mean, variance, gamma, beta, epsilon, y, leaky: false, 0f);

    public void BatchNormLeakyRelu(Tensor x, Tensor mean, Tensor variance, Tensor? gamma, Tensor? beta, float epsilon, float slope, Tensor y)
    {
        CheckSlope(slope);
        BatchNorm(x, mean, variance, gamma, beta, epsilon, y, leaky: true, slope);
    }

    public void BatchNormGrad(Tensor x, Tensor dy, Tensor mean, Tensor variance, Tensor? gamma, float epsilon, bool batchStatistics,
        Tensor? dx, Tensor dgamma, Tensor dbeta) =>
        BatchNormGrad(x, null, 0f, dy, mean, variance, gamma, epsilon, batchStatistics, dx, dgamma, dbeta);

    public void BatchNormLeakyReluGrad(Tensor x, Tensor y, float slope, Tensor dy, Tensor mean, Tensor variance, Tensor? gamma,
        float epsilon, Tensor? dx, Tensor dgamma, Tensor dbeta)
    {
        CheckSlope(slope);
        BatchNormGrad(x, y, slope, dy, mean, variance, gamma, epsilon, batchStatistics: true, dx, dgamma, dbeta);
    }

    private static void CheckSlope(float slope)
    {
        // The gradient is read from the output: y > 0 exactly where x > 0 only for a slope of at least 0.
        if (!(slope >= 0f)) throw new ArgumentOutOfRangeException(nameof(slope), slope, "batch_norm_leaky_relu: needs a negative slope >= 0.");
    }

    private unsafe void BatchNorm(Tensor x, Tensor mean, Tensor variance, Tensor? gamma, Tensor? beta, float epsilon, Tensor y, bool leaky, float slope)
    {
        int c = mean.Size, rows = c == 0 ? 0 : x.Size / c;
        if (rows == 0) return;
        var coefficients = BatchNormKernels.Scratch(2 * c);
        fixed (float* px = x.Data, py = y.Data, scale = coefficients)
        {
            float* shift = scale + c;
            for (int k = 0; k < c; k++)
            {
                scale[k] = (gamma?.Data[k] ?? 1f) / MathF.Sqrt(variance.Data[k] + epsilon);
                shift[k] = (beta?.Data[k] ?? 0f) - mean.Data[k] * scale[k];
            }
            BatchNormKernels.Affine(px, scale, shift, null, null, py, rows, c, null, slope, leaky);
        }
    }

    /// <summary>BatchNormGrad; with the LeakyReLU output <paramref name="act"/> given, dy is first taken back through the
    /// activation (dy where act > 0, else slope dy) inside both passes.</summary>
    private unsafe void BatchNormGrad(Tensor x, Tensor? act, float slope, Tensor dy, Tensor mean, Tensor variance, Tensor? gamma,
        float epsilon, bool batchStatistics, Tensor? dx, Tensor dgamma, Tensor dbeta)
    {
        int c = mean.Size, rows = c == 0 ? 0 : x.Size / c;
        if (rows == 0)
        {
            dgamma.AsSpan().Clear();
            dbeta.AsSpan().Clear();
            return;
        }
        var coefficients = BatchNormKernels.Scratch(3 * c);
        var sums = DoubleScratch(2 * c);
        fixed (float* px = x.Data, pdy = dy.Data, pm = mean.Data, a = coefficients, pact = act?.Data)
        fixed (double* s = sums)
        {
            // One pass: sum dy (dbeta) and sum dy (x - mean) (dgamma, times invStd below).
            BatchNormKernels.Sums(px, pdy, pm, rows, c, s, s + c, pact, slope);
            float* k = a + c, e = a + 2 * c;
            for (int j = 0; j < c; j++)
            {
                float inv = 1f / MathF.Sqrt(variance.Data[j] + epsilon);
                dbeta.Data[j] = (float)s[j];
                dgamma.Data[j] = (float)s[c + j] * inv;
                a[j] = (gamma?.Data[j] ?? 1f) * inv;
                // dx = a (dy - dbeta / R - xhat dgamma / R) = a dy + k x + e, k = -a inv dgamma / R, e = -k mean - a dbeta / R.
                k[j] = batchStatistics ? -a[j] * inv * dgamma.Data[j] / rows : 0f;
                e[j] = batchStatistics ? -k[j] * pm[j] - a[j] * dbeta.Data[j] / rows : 0f;
            }
            if (dx is null) return;
            fixed (float* pdx = dx.Data)
                BatchNormKernels.Affine(batchStatistics ? px : null, k, e, pdy, a, pdx, rows, c, pact, slope);
        }
    }

    public void FoldBatchNorm(Tensor kernel, Tensor? bias, Tensor mean, Tensor variance, Tensor? gamma, Tensor? beta, float epsilon,
        Tensor kernelOut, Tensor biasOut)
    {
        int c = mean.Size, rows = c == 0 ? 0 : kernel.Size / c;
        var scale = BatchNormKernels.Scratch(c).AsSpan(0, c);
        for (int k = 0; k < c; k++)
        {
            scale[k] = (gamma?.Data[k] ?? 1f) / MathF.Sqrt(variance.Data[k] + epsilon);
            biasOut.Data[k] = ((bias?.Data[k] ?? 0f) - mean.Data[k]) * scale[k] + (beta?.Data[k] ?? 0f);
        }
        for (int r = 0; r < rows; r++)
            SpanMath.Multiply(kernel.Data.AsSpan(r * c, c), scale, kernelOut.Data.AsSpan(r * c, c));
    }

    public void LayerNorm(Tensor x, Tensor? gamma, Tensor? beta, float epsilon, Tensor y, Tensor mean, Tensor invStd)
    {
        int rows = mean.Size, d = rows == 0 ? 0 : x.Size / rows;
        float[] xs = x.Data, ys = y.Data, ms = mean.Data, inv = invStd.Data;
        PartedLoop.Run(rows, PartedLoop.Parts(rows, d), (lo, hi, _) =>
        {
            for (int r = lo; r < hi; r++)
            {
                var xr = xs.AsSpan(r * d, d);
                var yr = ys.AsSpan(r * d, d);
                float m = SpanMath.Sum(xr) / d;
                SpanMath.Subtract(xr, m, yr);
                float s = 1f / MathF.Sqrt(SpanMath.Dot(yr, yr) / d + epsilon);
                (ms[r], inv[r]) = (m, s);
                SpanMath.Multiply(yr, s, yr);
                if (gamma is not null) SpanMath.Multiply(yr, gamma.AsSpan(), yr);
                if (beta is not null) SpanMath.Add(yr, beta.AsSpan(), yr);
            }
        });
    }

    public void LayerNormGrad(Tensor x, Tensor dy, Tensor? gamma, Tensor mean, Tensor invStd, Tensor? dx, Tensor? dgamma, Tensor? dbeta)
    {
        int rows = mean.Size, d = rows == 0 ? 0 : x.Size / rows;
        int parts = PartedLoop.Parts(rows, d);
        var partial = ThreadScratch.Get(ref _layerNormPartials, 2 * parts * d);
        float[] xs = x.Data, gs = dy.Data, ms = mean.Data, inv = invStd.Data;
        float[]? ds = dx?.Data;
        PartedLoop.Run(rows, parts, (lo, hi, p) =>
        {
            var pg = partial.AsSpan(2 * p * d, d);
            var pb = partial.AsSpan((2 * p + 1) * d, d);
            pg.Clear();
            pb.Clear();
            var buf = ThreadScratch.Get(ref _layerNormRows, 2 * d);
            Span<float> xhat = buf.AsSpan(0, d), g = buf.AsSpan(d, d);
            for (int r = lo; r < hi; r++)
            {
                var gr = gs.AsSpan(r * d, d);
                SpanMath.Subtract(xs.AsSpan(r * d, d), ms[r], xhat);
                SpanMath.Multiply(xhat, inv[r], xhat);
                SpanMath.MultiplyAdd(gr, xhat, pg, pg);
                SpanMath.Add(gr, pb, pb);
                if (ds is null) continue;
                if (gamma is null) gr.CopyTo(g);
                else SpanMath.Multiply(gr, gamma.AsSpan(), g);
                // dx = inv (g - mean(g) - xhat mean(g xhat))
                float mg = SpanMath.Sum(g) / d, mgx = SpanMath.Dot(g, xhat) / d;
                var dr = ds.AsSpan(r * d, d);
                SpanMath.MultiplyAdd(xhat, -mgx, g, dr);
                SpanMath.Add(dr, -mg, dr);
                SpanMath.Multiply(dr, inv[r], dr);
            }
        });
        for (int p = 0; p < parts; p++)
        {
            if (dgamma is not null)
            {
                if (p == 0) partial.AsSpan(0, d).CopyTo(dgamma.AsSpan());
                else SpanMath.Add(dgamma.AsSpan(), partial.AsSpan(2 * p * d, d), dgamma.AsSpan());
            }
            if (dbeta is not null)
            {
                if (p == 0) partial.AsSpan(d, d).CopyTo(dbeta.AsSpan());
                else SpanMath.Add(dbeta.AsSpan(), partial.AsSpan((2 * p + 1) * d, d), dbeta.AsSpan());
            }
        }
    }
}
