using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Backends.Cpu.Recurrent;

/// <summary>
/// Recurrent layers over a whole sequence. Forward: the input projection of every step is one GEMM (x W for
/// (n t, f) rows); each step then runs one recurrent GEMM (h U) and one fused gate kernel per row. The batch rows are
/// split among the lanes (rows are independent through time), so each lane runs its steps without a barrier and its
/// kernels single-threaded. Buffers are batch-major and indexed by input step, so the backward pass ends in three
/// GEMMs over all steps at once (dW = x' dZ, dU = h' dZ, dx = dZ W').
/// </summary>
internal static unsafe partial class RecurrentKernels
{
    public static void Forward(RecurrentArgs a, int maxLanes)
    {
        if (a.ForwardOnly)
        {
            ForwardOnly(a, maxLanes);
            return;
        }
        var s = Sizes.Of(a);
        fixed (float* x = a.X.Data, w = a.Kernel.Data, gates = a.Gates!.Data)
            Gemm.Sgemm(false, false, s.N * s.T, s.G, s.F, 1f, x, s.F, w, s.G, 0f, gates, s.G, Gemm.KernelBits, Settings.Threads);
        var rec = Tensor.Empty([s.N, s.G]).Data;
        var zeros = Tensor.ZerosScoped([s.N, s.U]).Data;
        int lanes = LaneCount(s.N, maxLanes);
        RowsJob.Run(Pass.Forward, a, s, lanes, rec, zeros, null, null);
    }

    internal readonly record struct Sizes(int N, int T, int F, int U, int G, int TOut)
    {
        public static Sizes Of(RecurrentArgs a)
        {
            var xs = a.X.Shape;
            int u = a.Units;
            return new Sizes(xs[0], xs[1], xs[2], u, a.GateCount * u, xs[1] + (a.WantCell ? 1 : 0));
        }
    }

    private static int LaneCount(int rows, int maxLanes) => Math.Max(1, Math.Min(maxLanes, rows / 4));

    private static void Sgemm(bool ta, bool tb, int m, int n, int k, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
        Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc, Gemm.KernelBits, 1);

    private static void ForwardRows(RecurrentArgs a, Sizes s, int r0, int r1, float[] recBuf, float[] zeroBuf)
    {
        int rows = r1 - r0, T = s.T, u = s.U, G = s.G, tOut = s.TOut;
        if (rows == 0) return;
        var cell = a.Cell;
        float[]? bias = a.Bias?.Data, mask = a.Mask?.Data, rmask = a.RecurrentMask?.Data;
        fixed (float* gates = a.Gates!.Data, hprevBuf = a.HPrev!.Data, outp = a.Output.Data, U = a.RecurrentKernel.Data,
               rec = recBuf, zeros = zeroBuf, h0 = a.H0?.Data, c0 = a.C0?.Data, extra = a.Extra?.Data)
        {
            for (int st = 0; st < T; st++)
            {
                int tx = a.GoBackwards ? T - 1 - st : st;
                int txPrev = a.GoBackwards ? tx + 1 : tx - 1;
                float* hp = st == 0 ? (h0 is null ? zeros : h0) + r0 * u : outp + (long)r0 * tOut * u + (st - 1) * u;
                int ldh = st == 0 ? u : tOut * u;
                float* A = hprevBuf + (long)r0 * T * u + tx * u;
                for (int i = 0; i < rows; i++)
                {
                    var src = new ReadOnlySpan<float>(hp + (long)i * ldh, u);
                    var dst = new Span<float>(A + (long)i * T * u, u);
                    if (rmask is null) src.CopyTo(dst);
                    else SpanMath.Multiply(src, rmask.AsSpan((r0 + i) * u, u), dst);
                }
                float* R = rec + (long)r0 * G;
                Sgemm(false, false, rows, cell == RecurrentCell.GruResetBefore ? 2 * u : G, u, A, T * u, U, G, 0f, R, G);
                for (int i = 0; i < rows; i++)
                {
                    int n = r0 + i;
                    var z = new Span<float>(gates + ((long)n * T + tx) * G, G);
                    var r = new Span<float>(R + (long)i * G, G);
                    var hprev = new ReadOnlySpan<float>(hp + (long)i * ldh, u);
                    var hout = new Span<float>(outp + ((long)n * tOut + st) * u, u);
                    switch (cell)
                    {
                        case RecurrentCell.SimpleRnn:
                            SpanMath.Add(z, r, z);
                            if (bias is not null) SpanMath.Add(z, bias, z);
                            GateMath.Apply(a.Activation, z);
                            z.CopyTo(hout);
                            break;
                        case RecurrentCell.Lstm:
                        {
                            SpanMath.Add(z, r, z);
                            if (bias is not null) SpanMath.Add(z, bias, z);
                            GateMath.Apply(a.GateActivation, z[..(2 * u)]);
                            GateMath.Apply(a.Activation, z.Slice(2 * u, u));
                            GateMath.Apply(a.GateActivation, z[(3 * u)..]);
                            var c = new Span<float>(extra + ((long)n * T + tx) * u, u);
                            ReadOnlySpan<float> cprev = st == 0 ? (c0 is null ? new ReadOnlySpan<float>(zeros + (long)n * u, u) : new ReadOnlySpan<float>(c0 + (long)n * u, u))
                                : new ReadOnlySpan<float>(extra + ((long)n * T + txPrev) * u, u);
                            SpanMath.Multiply(z.Slice(u, u), cprev, c);
                            SpanMath.MultiplyAdd(z[..u], z.Slice(2 * u, u), c, c);
                            c.CopyTo(hout);
                            GateMath.Apply(a.Activation, hout);
                            SpanMath.Multiply(hout, z[(3 * u)..], hout);
                            if (mask is not null && mask[n * T + tx] == 0f) cprev.CopyTo(c);
                            break;
                        }
                        case RecurrentCell.GruResetAfter:
                        {
                            if (bias is not null)
                            {
                                SpanMath.Add(z, bias.AsSpan(0, G), z);
                                SpanMath.Add(r, bias.AsSpan(G, G), r);
                            }
                            SpanMath.Add(z[..(2 * u)], r[..(2 * u)], z[..(2 * u)]);
                            GateMath.Apply(a.GateActivation, z[..(2 * u)]);
                            var rh = new Span<float>(extra + ((long)n * T + tx) * u, u);
                            r[(2 * u)..].CopyTo(rh);
                            SpanMath.MultiplyAdd(z.Slice(u, u), rh, z[(2 * u)..], z[(2 * u)..]);
                            GateMath.Apply(a.Activation, z[(2 * u)..]);
                            // h = hh + z (hprev - hh)
                            SpanMath.Subtract(hprev, z[(2 * u)..], hout);
                            SpanMath.MultiplyAdd(hout, z[..u], z[(2 * u)..], hout);
                            break;
                        }
                        case RecurrentCell.GruResetBefore:
                        {
                            SpanMath.Add(z[..(2 * u)], r[..(2 * u)], z[..(2 * u)]);
                            if (bias is not null) SpanMath.Add(z[..(2 * u)], bias.AsSpan(0, 2 * u), z[..(2 * u)]);
                            GateMath.Apply(a.GateActivation, z[..(2 * u)]);
                            var rh = new Span<float>(extra + ((long)n * T + tx) * u, u);
                            SpanMath.Multiply(z.Slice(u, u), new ReadOnlySpan<float>(A + (long)i * T * u, u), rh);
                            break;
                        }
                    }
                }
                if (cell == RecurrentCell.GruResetBefore)
                {
                    Sgemm(false, false, rows, u, u, extra + ((long)r0 * T + tx) * u, T * u, U + 2 * u, G, 0f, R + 2 * u, G);
                    for (int i = 0; i < rows; i++)
                    {
                        int n = r0 + i;
                        var z = new Span<float>(gates + ((long)n * T + tx) * G, G);
                        var hh = z[(2 * u)..];
                        SpanMath.Add(hh, new ReadOnlySpan<float>(R + (long)i * G + 2 * u, u), hh);
                        if (bias is not null) SpanMath.Add(hh, bias.AsSpan(2 * u, u), hh);
                        GateMath.Apply(a.Activation, hh);
                        var hout = new Span<float>(outp + ((long)n * tOut + st) * u, u);
                        SpanMath.Subtract(new ReadOnlySpan<float>(hp + (long)i * ldh, u), hh, hout);
                        SpanMath.MultiplyAdd(hout, z[..u], hh, hout);
                    }
                }
                if (mask is not null)
                    for (int i = 0; i < rows; i++)
                        if (mask[(r0 + i) * T + tx] == 0f)
                            new ReadOnlySpan<float>(hp + (long)i * ldh, u).CopyTo(new Span<float>(outp + ((long)(r0 + i) * tOut + st) * u, u));
            }
            if (a.WantCell)
            {
                int txLast = a.GoBackwards ? 0 : T - 1;
                for (int n = r0; n < r1; n++)
                {
                    var dst = new Span<float>(outp + ((long)n * tOut + T) * u, u);
                    if (T == 0) (c0 is null ? new ReadOnlySpan<float>(zeros + (long)n * u, u) : new ReadOnlySpan<float>(c0 + (long)n * u, u)).CopyTo(dst);
                    else new ReadOnlySpan<float>(extra + ((long)n * T + txLast) * u, u).CopyTo(dst);
                }
            }
        }
    }
}
