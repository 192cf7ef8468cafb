using System.Buffers;
using System.Numerics.Tensors;

namespace Dendrite.Backends.Cpu;

// Batch normalization over the last axis (x viewed as rows of C channels) and layer normalization over rows.
// Per-channel sums are taken per worker part (float within blocks of rows, double across blocks) and then combined,
// so the statistics do not depend on accumulating a whole batch in float.
internal sealed partial class CpuBackend
{
    private const int SumBlock = 64;

    public void BatchNormStatistics(Tensor x, Tensor mean, Tensor variance, Tensor? movingMean, Tensor? movingVariance, float momentum)
    {
        int c = mean.Size, rows = c == 0 ? 0 : x.Size / c;
        if (rows == 0) throw new ArgumentException($"BatchNormalization statistics need at least one row of {c} channels, got shape {x.Shape}.");
        ChannelSums(x.Data, null, rows, c, null, mean.AsSpan(), 1.0 / rows);
        ChannelSums(x.Data, null, rows, c, mean.Data, variance.AsSpan(), 1.0 / rows);
        if (movingMean is not null) Blend(movingMean.AsSpan(), mean.AsSpan(), momentum);
        if (movingVariance is not null) Blend(movingVariance.AsSpan(), variance.AsSpan(), momentum);
    }

    private static void Blend(Span<float> moving, ReadOnlySpan<float> batch, float momentum)
    {
        for (int k = 0; k < moving.Length; k++) moving[k] = moving[k] * momentum + batch[k] * (1f - momentum);
    }

    // result[k] = scale * the sum over rows of a[r, k] (when center is null), of (a[r, k] - center[k])^2 (when b is null),
    // or of b[r, k] * (a[r, k] - center[k]).
    private static void ChannelSums(float[] a, float[]? b, int rows, int c, float[]? center, Span<float> result, double scale)
    {
        int parts = PartedLoop.Parts(rows, c);
        var partial = ArrayPool<double>.Shared.Rent(parts * c);
        try
        {
            PartedLoop.Run(rows, parts, (a, b, c, center, partial), static (lo, hi, p, st) =>
            {
                var (a, b, c, center, partial) = st;
                var acc = ArrayPool<float>.Shared.Rent(c);
                var tmp = ArrayPool<float>.Shared.Rent(c);
                try
                {
                    Span<float> s = acc.AsSpan(0, c), t = tmp.AsSpan(0, c);
                    var sum = partial.AsSpan(p * c, c);
                    sum.Clear();
                    for (int r0 = lo; r0 < hi; r0 += SumBlock)
                    {
                        s.Clear();
                        for (int r = r0; r < Math.Min(hi, r0 + SumBlock); r++)
                        {
                            var row = a.AsSpan(r * c, c);
                            if (center is null) { TensorPrimitives.Add(s, row, s); continue; }
                            TensorPrimitives.Subtract(row, center.AsSpan(0, c), t);
                            TensorPrimitives.MultiplyAdd(t, b is null ? t : b.AsSpan(r * c, c), s, s);
                        }
                        for (int k = 0; k < c; k++) sum[k] += s[k];
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(acc);
                    ArrayPool<float>.Shared.Return(tmp);
                }
            });
            for (int k = 0; k < c; k++)
            {
                double total = 0;
                for (int p = 0; p < parts; p++) total += partial[p * c + k];
                result[k] = (float)(total * scale);
            }
        }
        finally { ArrayPool<double>.Shared.Return(partial); }
    }

    public void BatchNorm(Tensor x, Tensor mean, Tensor variance, Tensor? gamma, Tensor? beta, float epsilon, Tensor y)
    {
        int c = mean.Size, rows = c == 0 ? 0 : x.Size / c;
        var scale = ArrayPool<float>.Shared.Rent(c);
        var shift = ArrayPool<float>.Shared.Rent(c);
        for (int k = 0; k < c; k++)
        {
            scale[k] = (gamma?.Data[k] ?? 1f) / MathF.Sqrt(variance.Data[k] + epsilon);
            shift[k] = (beta?.Data[k] ?? 0f) - mean.Data[k] * scale[k];
        }
        try
        {
            PartedLoop.Run(rows, PartedLoop.Parts(rows, c), (x.Data, y.Data, scale, shift, c), static (lo, hi, _, s) =>
            {
                var (xs, ys, scale, shift, c) = s;
                for (int r = lo; r < hi; r++)
                    TensorPrimitives.MultiplyAdd(xs.AsSpan(r * c, c), scale.AsSpan(0, c), shift.AsSpan(0, c), ys.AsSpan(r * c, c));
            });
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scale);
            ArrayPool<float>.Shared.Return(shift);
        }
    }

    public void BatchNormGrad(Tensor x, Tensor dy, Tensor mean, Tensor variance, Tensor? gamma, float epsilon, bool batchStatistics,
        Tensor? dx, Tensor dgamma, Tensor dbeta)
    {
        int c = mean.Size, rows = c == 0 ? 0 : x.Size / c;
        ChannelSums(dy.Data, null, rows, c, null, dbeta.AsSpan(), 1.0);
        ChannelSums(x.Data, dy.Data, rows, c, mean.Data, dgamma.AsSpan(), 1.0);   // sum dy (x - mean), times invStd below
        var a = ArrayPool<float>.Shared.Rent(c);
        var k = ArrayPool<float>.Shared.Rent(c);
        var e = ArrayPool<float>.Shared.Rent(c);
        try
        {
            for (int j = 0; j < c; j++)
            {
                float inv = 1f / MathF.Sqrt(variance.Data[j] + epsilon);
                dgamma.Data[j] *= inv;
                a[j] = (gamma?.Data[j] ?? 1f) * inv;
                if (!batchStatistics) continue;
                // dx = a (dy - dbeta / R - xhat dgamma / R) = a dy - k x + (k mean - a dbeta / R), k = a inv dgamma / R.
                k[j] = -a[j] * inv * dgamma.Data[j] / rows;
                e[j] = -k[j] * mean.Data[j] - a[j] * dbeta.Data[j] / rows;
            }
            if (dx is null) return;
            PartedLoop.Run(rows, PartedLoop.Parts(rows, c), ((x.Data, dy.Data, dx.Data), (a, k, e), c, batchStatistics), static (lo, hi, _, s) =>
            {
                var ((xs, gs, ds), (a0, k0, e0), c, batchStatistics) = s;
                ReadOnlySpan<float> a = a0.AsSpan(0, c), k = k0.AsSpan(0, c), e = e0.AsSpan(0, c);
                for (int r = lo; r < hi; r++)
                {
                    var d = ds.AsSpan(r * c, c);
                    if (batchStatistics)
                    {
                        TensorPrimitives.MultiplyAdd(xs.AsSpan(r * c, c), k, e, d);
                        TensorPrimitives.MultiplyAdd(gs.AsSpan(r * c, c), a, d, d);
                    }
                    else TensorPrimitives.Multiply(gs.AsSpan(r * c, c), a, d);
                }
            });
        }
        finally
        {
            ArrayPool<float>.Shared.Return(a);
            ArrayPool<float>.Shared.Return(k);
            ArrayPool<float>.Shared.Return(e);
        }
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
                float m = TensorPrimitives.Sum<float>(xr) / d;
                TensorPrimitives.Subtract(xr, m, yr);
                float s = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares<float>(yr) / d + epsilon);
                (ms[r], inv[r]) = (m, s);
                TensorPrimitives.Multiply(yr, s, yr);
                if (gamma is not null) TensorPrimitives.Multiply(yr, gamma.AsSpan(), yr);
                if (beta is not null) TensorPrimitives.Add(yr, beta.AsSpan(), yr);
            }
        });
    }

    public void LayerNormGrad(Tensor x, Tensor dy, Tensor? gamma, Tensor mean, Tensor invStd, Tensor? dx, Tensor? dgamma, Tensor? dbeta)
    {
        int rows = mean.Size, d = rows == 0 ? 0 : x.Size / rows;
        int parts = PartedLoop.Parts(rows, d);
        var partial = ArrayPool<float>.Shared.Rent(2 * parts * d);
        float[] xs = x.Data, gs = dy.Data, ms = mean.Data, inv = invStd.Data;
        float[]? ds = dx?.Data;
        try
        {
            PartedLoop.Run(rows, parts, (lo, hi, p) =>
            {
                var pg = partial.AsSpan(2 * p * d, d);
                var pb = partial.AsSpan((2 * p + 1) * d, d);
                pg.Clear();
                pb.Clear();
                var buf = ArrayPool<float>.Shared.Rent(2 * d);
                try
                {
                    Span<float> xhat = buf.AsSpan(0, d), g = buf.AsSpan(d, d);
                    for (int r = lo; r < hi; r++)
                    {
                        var gr = gs.AsSpan(r * d, d);
                        TensorPrimitives.Subtract(xs.AsSpan(r * d, d), ms[r], xhat);
                        TensorPrimitives.Multiply(xhat, inv[r], xhat);
                        TensorPrimitives.MultiplyAdd(gr, xhat, pg, pg);
                        TensorPrimitives.Add(gr, pb, pb);
                        if (ds is null) continue;
                        if (gamma is null) gr.CopyTo(g);
                        else TensorPrimitives.Multiply(gr, gamma.AsSpan(), g);
                        // dx = inv (g - mean(g) - xhat mean(g xhat))
                        float mg = TensorPrimitives.Sum<float>(g) / d, mgx = TensorPrimitives.Dot<float>(g, xhat) / d;
                        var dr = ds.AsSpan(r * d, d);
                        TensorPrimitives.MultiplyAdd(xhat, -mgx, g, dr);
                        TensorPrimitives.Add(dr, -mg, dr);
                        TensorPrimitives.Multiply(dr, inv[r], dr);
                    }
                }
                finally { ArrayPool<float>.Shared.Return(buf); }
            });
            for (int p = 0; p < parts; p++)
            {
                if (dgamma is not null)
                {
                    if (p == 0) partial.AsSpan(0, d).CopyTo(dgamma.AsSpan());
                    else TensorPrimitives.Add(dgamma.AsSpan(), partial.AsSpan(2 * p * d, d), dgamma.AsSpan());
                }
                if (dbeta is not null)
                {
                    if (p == 0) partial.AsSpan(d, d).CopyTo(dbeta.AsSpan());
                    else TensorPrimitives.Add(dbeta.AsSpan(), partial.AsSpan((2 * p + 1) * d, d), dbeta.AsSpan());
                }
            }
        }
        finally { ArrayPool<float>.Shared.Return(partial); }
    }
}
