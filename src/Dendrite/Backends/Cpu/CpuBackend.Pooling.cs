using Dendrite.Backends.Cpu.Kernels;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

// Pooling over channels-last (N, H, W, C): each output pixel reads whole channel rows of its window, so the
// channel loop is the SIMD loop; samples are split across the worker threads (their dx regions never overlap).
internal sealed partial class CpuBackend
{
    /// <summary>A pooling pass's tensors and geometry for its parted loop: a named struct, not a tuple, so that the loop's
    /// job is precompiled (<see cref="PartedLoop.Run{TState}"/>).</summary>
    private readonly struct PoolArgs(Tensor first, Tensor second, Tensor? third, Pool2DGeometry geometry)
    {
        public readonly Tensor First = first, Second = second;
        public readonly Tensor? Third = third;
        public readonly Pool2DGeometry Geometry = geometry;
    }

    public void MaxPool2D(Tensor x, Pool2DGeometry g, Tensor y, Tensor argmax)
    {
        var (n, h, w, c, _, _) = PoolDims(x, y);
        PartedLoop.Run(n, PartedLoop.Parts(n, (long)h * w * c), new PoolArgs(x, y, argmax, g), static (lo, hi, _, s) =>
        {
            var (x, y, argmax, g) = (s.First, s.Second, s.Third!, s.Geometry);
            var (_, h, w, c, oh, ow) = PoolDims(x, y);
            float[] xs = x.Data, ys = y.Data, am = argmax.Data;
            for (int b = lo; b < hi; b++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int o = ((b * oh + i) * ow + j) * c;
                        var yr = ys.AsSpan(o, c);
                        var ar = am.AsSpan(o, c);
                        yr.Fill(float.NegativeInfinity);
                        ar.Clear();
                        for (int kh = 0; kh < g.PoolH; kh++)
                        {
                            int ih = i * g.StrideH - g.PadTop + kh;
                            if ((uint)ih >= (uint)h) continue;
                            for (int kw = 0; kw < g.PoolW; kw++)
                            {
                                int iw = j * g.StrideW - g.PadLeft + kw;
                                if ((uint)iw >= (uint)w) continue;
                                MaxRow(xs.AsSpan(((b * h + ih) * w + iw) * c, c), yr, ar, kh * g.PoolW + kw);
                            }
                        }
                    }
        });
    }

    // y = max(y, x) per channel, recording the cell where x wins (strictly: the first maximum keeps its cell).
    private static void MaxRow(ReadOnlySpan<float> x, Span<float> y, Span<float> arg, float cell)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vc = Vector256.Create(cell);
            for (; k + 8 <= x.Length; k += 8)
            {
                var xv = Vector256.Create(x.Slice(k, 8));
                var yv = Vector256.Create(y.Slice(k, 8));
                var m = Vector256.GreaterThan(xv, yv);
                Vector256.ConditionalSelect(m, xv, yv).CopyTo(y.Slice(k, 8));
                Vector256.ConditionalSelect(m, vc, Vector256.Create(arg.Slice(k, 8))).CopyTo(arg.Slice(k, 8));
            }
        }
        for (; k < x.Length; k++)
            if (x[k] > y[k]) { y[k] = x[k]; arg[k] = cell; }
    }

    public void MaxPool2DGrad(Tensor dy, Tensor argmax, Pool2DGeometry g, Tensor dx)
    {
        var (n, h, w, c, _, _) = PoolDims(dx, dy);
        PartedLoop.Run(n, PartedLoop.Parts(n, (long)h * w * c), new PoolArgs(dy, argmax, dx, g), static (lo, hi, _, s) =>
        {
            var (dy, argmax, g, dx) = (s.First, s.Second, s.Geometry, s.Third!);
            var (_, h, w, c, oh, ow) = PoolDims(dx, dy);
            float[] gs = dy.Data, am = argmax.Data, ds = dx.Data;
            ds.AsSpan(lo * h * w * c, (hi - lo) * h * w * c).Clear();
            for (int b = lo; b < hi; b++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int o = ((b * oh + i) * ow + j) * c;
                        for (int k = 0; k < c; k++)
                        {
                            int cell = (int)am[o + k], ih = i * g.StrideH - g.PadTop + cell / g.PoolW, iw = j * g.StrideW - g.PadLeft + cell % g.PoolW;
                            ds[((b * h + ih) * w + iw) * c + k] += gs[o + k];
                        }
                    }
        });
    }

    public void AvgPool2D(Tensor x, Pool2DGeometry g, Tensor y)
    {
        var (n, h, w, c, _, _) = PoolDims(x, y);
        PartedLoop.Run(n, PartedLoop.Parts(n, (long)h * w * c), new PoolArgs(x, y, null, g), static (lo, hi, _, s) =>
        {
            var (x, y, g) = (s.First, s.Second, s.Geometry);
            var (_, h, w, c, oh, ow) = PoolDims(x, y);
            float[] xs = x.Data, ys = y.Data;
            for (int b = lo; b < hi; b++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        var (h0, h1, w0, w1) = Window(g, i, j, h, w);
                        var yr = ys.AsSpan(((b * oh + i) * ow + j) * c, c);
                        yr.Clear();
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++)
                                SpanMath.Add(yr, xs.AsSpan(((b * h + ih) * w + iw) * c, c), yr);
                        SpanMath.Multiply(yr, 1f / ((h1 - h0) * (w1 - w0)), yr);
                    }
        });
    }

    public void AvgPool2DGrad(Tensor dy, Pool2DGeometry g, Tensor dx)
    {
        var (n, h, w, c, _, _) = PoolDims(dx, dy);
        PartedLoop.Run(n, PartedLoop.Parts(n, (long)h * w * c), new PoolArgs(dy, dx, null, g), static (lo, hi, _, s) =>
        {
            var (dy, dx, g) = (s.First, s.Second, s.Geometry);
            var (_, h, w, c, oh, ow) = PoolDims(dx, dy);
            float[] gs = dy.Data, ds = dx.Data;
            ds.AsSpan(lo * h * w * c, (hi - lo) * h * w * c).Clear();
            for (int b = lo; b < hi; b++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        var (h0, h1, w0, w1) = Window(g, i, j, h, w);
                        float scale = 1f / ((h1 - h0) * (w1 - w0));
                        var gr = gs.AsSpan(((b * oh + i) * ow + j) * c, c);
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++)
                            {
                                var dr = ds.AsSpan(((b * h + ih) * w + iw) * c, c);
                                SpanMath.MultiplyAdd(gr, scale, dr, dr);
                            }
                    }
        });
    }

    // The real (unpadded) rows [h0, h1) and columns [w0, w1) of output (i, j)'s window.
    private static (int H0, int H1, int W0, int W1) Window(Pool2DGeometry g, int i, int j, int h, int w)
    {
        int h0 = i * g.StrideH - g.PadTop, w0 = j * g.StrideW - g.PadLeft;
        return (Math.Max(h0, 0), Math.Min(h0 + g.PoolH, h), Math.Max(w0, 0), Math.Min(w0 + g.PoolW, w));
    }

    private static (int N, int H, int W, int C, int OH, int OW) PoolDims(Tensor x, Tensor y)
    {
        if (x.Rank != 4 || y.Rank != 4 || x.Shape[0] != y.Shape[0] || x.Shape[3] != y.Shape[3])
            throw new ArgumentException($"Pooling needs (N, H, W, C) input and output with the same N and C, got {x.Shape} and {y.Shape}.");
        return (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], y.Shape[1], y.Shape[2]);
    }
}
