using Dendrite.Backends.Cpu.Kernels;
using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Softmax(Tensor x, int axis, Tensor y, bool log)
    {
        var (outer, d, inner) = Split(x.Shape, axis);
        if (inner == 1 && d > 0 && d <= ShortSoftmaxRow)
        {
            SoftmaxShortRows(x.Data, y.Data, outer, d, log);
            return;
        }
        if (inner == 1) SoftmaxLongRows(x, y, outer, d, log);
        else SoftmaxStrided(x, y, outer, d, inner, log);
    }

    // The long-row and strided forms are methods of their own, so that compiling Softmax for a classifier's short rows
    // (every training step's) does not also compile theirs. Rows longer than 64 (CIFAR-100, a vocabulary) go through
    // SpanMath's precompiled loops, not TensorPrimitives' generic drivers, which a fresh process jitted at first use.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SoftmaxLongRows(Tensor x, Tensor y, int outer, int d, bool log)
    {
        for (int o = 0; o < outer; o++)
        {
            var src = x.Data.AsSpan(o * d, d);
            var dst = y.Data.AsSpan(o * d, d);
            if (d == 0) continue;
            float max = SpanMath.Max(src);
            SpanMath.Subtract(src, max, dst);
            if (log)
            {
                float lse = MathF.Log(SumExp(dst));
                SpanMath.Subtract(dst, lse, dst);
            }
            else
            {
                SpanMath.Exp(dst, dst);
                SpanMath.Multiply(dst, 1f / SpanMath.Sum(dst), dst);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SoftmaxStrided(Tensor x, Tensor y, int outer, int d, int inner, bool log)
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * d * inner + i;
                float max = float.NegativeInfinity;
                for (int j = 0; j < d; j++) max = MathF.Max(max, x.Data[b + j * inner]);
                double sum = 0;
                for (int j = 0; j < d; j++) sum += Math.Exp(x.Data[b + j * inner] - max);
                float lse = (float)Math.Log(sum);
                for (int j = 0; j < d; j++)
                {
                    float z = x.Data[b + j * inner] - max;
                    y.Data[b + j * inner] = log ? z - lse : (float)(Math.Exp(z) / sum);
                }
            }
    }

    private static float SumExp(ReadOnlySpan<float> shifted)
    {
        double s = 0;
        foreach (float v in shifted) s += Math.Exp(v);
        return (float)s;
    }

    public void SoftmaxGrad(Tensor y, Tensor dy, int axis, Tensor dx, bool log)
    {
        var (outer, d, inner) = Split(y.Shape, axis);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * d * inner + i;
                double s = 0;
                for (int j = 0; j < d; j++) s += log ? dy.Data[b + j * inner] : dy.Data[b + j * inner] * y.Data[b + j * inner];
                for (int j = 0; j < d; j++)
                {
                    int ix = b + j * inner;
                    dx.Data[ix] = log ? dy.Data[ix] - MathF.Exp(y.Data[ix]) * (float)s : y.Data[ix] * (dy.Data[ix] - (float)s);
                }
            }
    }

    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor probs)
    {
        int c = logits.Shape[^1], rows = c == 0 ? 0 : logits.Size / c;
        if (c <= ShortSoftmaxRow)
        {
            SoftmaxCrossEntropyShortRows(logits.Data, labels.Data, loss.Data, probs.Data, rows, c);
            return;
        }
        SoftmaxCrossEntropyLongRows(logits, labels, loss, probs, rows, c);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SoftmaxCrossEntropyLongRows(Tensor logits, Tensor labels, Tensor loss, Tensor probs, int rows, int c)
    {
        for (int r = 0; r < rows; r++)
        {
            var z = logits.Data.AsSpan(r * c, c);
            var t = labels.Data.AsSpan(r * c, c);
            var p = probs.Data.AsSpan(r * c, c);
            float max = SpanMath.Max(z);
            SpanMath.Subtract(z, max, p);
            SpanMath.Exp(p, p);
            float sum = SpanMath.Sum(p);
            SpanMath.Multiply(p, 1f / sum, p);
            float lse = max + MathF.Log(sum);
            loss.Data[r] = SpanMath.Sum(t) * lse - SpanMath.Dot(t, z);
        }
    }
}
