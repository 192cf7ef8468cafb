using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    /// <summary>Rows at most this long take the whole-block softmax below instead of several library calls per row.</summary>
    internal const int ShortSoftmaxRow = 64;

    [ThreadStatic] private static float[]? _softmaxExp;

    // Internal, not private: crossgen2 precompiles a private method only when code it compiles calls it, and the
    // callers it cannot precompile would leave them to the JIT (docs/ARCHITECTURE.md, "The first call").
    internal static float[] SoftmaxScratch(int n) => ThreadScratch.Get(ref _softmaxExp, n, minimum: 1024);

    /// <summary>
    /// Softmax (or log-softmax) of <paramref name="rows"/> contiguous rows of <paramref name="d"/> values, for short rows
    /// (a classifier's 10 classes): one pass subtracts each row's maximum, one vectorized exp (<see cref="Kernels.SpanMath.Exp"/>) runs over the whole block,
    /// one pass sums and scales each row. Per-row library calls on 10 values cost more than the arithmetic, and each
    /// one is a generic instantiation jitted in a fresh process.
    /// </summary>
    private static void SoftmaxShortRows(float[] src, float[] dst, int rows, int d, bool log)
    {
        int n = rows * d;
        var shifted = log ? dst : SoftmaxScratch(n);
        var exp = log ? SoftmaxScratch(n) : dst;
        ShiftByRowMax(src, shifted, rows, d);
        Kernels.SpanMath.Exp(shifted.AsSpan(0, n), exp.AsSpan(0, n));
        for (int r = 0, o = 0; r < rows; r++, o += d)
        {
            double sum = 0;
            for (int j = 0; j < d; j++) sum += exp[o + j];
            if (log)
            {
                float lse = (float)Math.Log(sum);
                for (int j = 0; j < d; j++) dst[o + j] = shifted[o + j] - lse;
            }
            else
            {
                float inv = (float)(1.0 / sum);
                for (int j = 0; j < d; j++) dst[o + j] = exp[o + j] * inv;
            }
        }
    }

    /// <summary>The fused softmax + cross-entropy of <see cref="SoftmaxCrossEntropy"/> for short rows: probabilities into
    /// <paramref name="probs"/>, each row's loss <c>sum(t) * logsumexp(z) - t . z</c> into <paramref name="loss"/>.</summary>
    private static void SoftmaxCrossEntropyShortRows(float[] z, float[] t, float[] loss, float[] probs, int rows, int c)
    {
        int n = rows * c;
        var maxima = ShiftByRowMax(z, probs, rows, c);
        Kernels.SpanMath.Exp(probs.AsSpan(0, n), probs.AsSpan(0, n));
        for (int r = 0, o = 0; r < rows; r++, o += c)
        {
            double sum = 0, tSum = 0, dot = 0;
            for (int j = 0; j < c; j++)
            {
                sum += probs[o + j];
                tSum += t[o + j];
                dot += (double)t[o + j] * z[o + j];
            }
            float inv = (float)(1.0 / sum);
            for (int j = 0; j < c; j++) probs[o + j] *= inv;
            double lse = maxima[r] + Math.Log(sum);
            loss[r] = (float)(tSum * lse - dot);
        }
    }

    /// <summary><see cref="SoftmaxCrossEntropyGrad"/> for short rows: <c>dz = (p * sum(t) - t) * scale</c>, one pass.</summary>
    private static void SoftmaxCrossEntropyGradShortRows(float[] p, float[] t, float scale, float[] dz, int rows, int c)
    {
        for (int r = 0, o = 0; r < rows; r++, o += c)
        {
            float tSum = 0;
            for (int j = 0; j < c; j++) tSum += t[o + j];
            for (int j = 0; j < c; j++) dz[o + j] = (p[o + j] * tSum - t[o + j]) * scale;
        }
    }

    /// <summary>Writes each row of <paramref name="src"/> minus its maximum into <paramref name="dst"/>; returns the
    /// maxima (a per-thread buffer, valid until the next call).</summary>
    private static float[] ShiftByRowMax(float[] src, float[] dst, int rows, int d)
    {
        var maxima = ThreadScratch.Get(ref _rowMax, rows, minimum: 256);
        for (int r = 0, o = 0; r < rows; r++, o += d)
        {
            float max = src[o];
            for (int j = 1; j < d; j++) max = MathF.Max(max, src[o + j]);
            maxima[r] = max;
            for (int j = 0; j < d; j++) dst[o + j] = src[o + j] - max;
        }
        return maxima;
    }

    [ThreadStatic] private static float[]? _rowMax;
}
