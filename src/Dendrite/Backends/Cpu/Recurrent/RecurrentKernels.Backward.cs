using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Backends.Cpu.Recurrent;

internal static unsafe partial class RecurrentKernels
{
    /// <summary>
    /// Back-propagation through time: per step (last to first) the fused gate gradients dZ of every row, then one GEMM
    /// dZ U' for the previous h's gradient; after the loop the weight and input gradients as GEMMs over all steps.
    /// </summary>
    public static void Backward(RecurrentArgs a, int maxLanes)
    {
        var s = Sizes.Of(a);
        int N = s.N, T = s.T, F = s.F, u = s.U, G = s.G;
        var dz = Tensor.Empty([N, T, G]).Data;
        var dr = a.Cell == RecurrentCell.GruResetAfter ? Tensor.Empty([N, T, G]).Data : null;
        var scratch = Tensor.Empty([4, N, u]).Data;
        var zeros = Tensor.ZerosScoped([N, u]).Data;
        int lanes = LaneCount(N, maxLanes);
        RowsJob.Run(Pass.Backward, a, s, lanes, dz, dr, scratch, zeros);
        fixed (float* x = a.X.Data, w = a.Kernel.Data, U = a.RecurrentKernel.Data, pdz = dz, pdr = dr, hprev = a.HPrev!.Data,
               extra = a.Extra?.Data, dW = a.DKernel?.Data, dU = a.DRecurrentKernel?.Data, dx = a.DX?.Data)
        {
            int rows = N * T, th = Settings.Threads;
            if (dW is not null) Gemm.Sgemm(true, false, F, G, rows, 1f, x, F, pdz, G, 0f, dW, G, Gemm.KernelBits, th);
            if (dU is not null)
            {
                if (a.Cell == RecurrentCell.GruResetBefore)
                {
                    Gemm.Sgemm(true, false, u, 2 * u, rows, 1f, hprev, u, pdz, G, 0f, dU, G, Gemm.KernelBits, th);
                    Gemm.Sgemm(true, false, u, u, rows, 1f, extra, u, pdz + 2 * u, G, 0f, dU + 2 * u, G, Gemm.KernelBits, th);
                }
                else Gemm.Sgemm(true, false, u, G, rows, 1f, hprev, u, pdr is null ? pdz : pdr, G, 0f, dU, G, Gemm.KernelBits, th);
            }
            if (dx is not null) Gemm.Sgemm(false, true, rows, F, G, 1f, pdz, G, w, G, 0f, dx, F, Gemm.KernelBits, th);
        }
        if (a.DBias is { } db)
        {
            var d = db.AsSpan();
            d.Clear();
            for (int r = 0; r < N * T; r++)
            {
                SpanMath.Add(d[..G], dz.AsSpan(r * G, G), d[..G]);
                if (dr is not null) SpanMath.Add(d[G..], dr.AsSpan(r * G, G), d[G..]);
            }
        }
    }

    private static void BackwardRows(RecurrentArgs a, Sizes s, int r0, int r1, float[] dzBuf, float[]? drBuf, float[] scratch, float[] zeroBuf)
    {
        int rows = r1 - r0, T = s.T, u = s.U, G = s.G, tOut = s.TOut, N = s.N;
        if (rows == 0) return;
        var cell = a.Cell;
        float[]? mask = a.Mask?.Data, rmask = a.RecurrentMask?.Data;
        fixed (float* gates = a.Gates!.Data, hprevBuf = a.HPrev!.Data, outp = a.Output.Data, U = a.RecurrentKernel.Data, dout = a.DOutput!.Data,
               pdz = dzBuf, pdr = drBuf, sc = scratch, zeros = zeroBuf, h0 = a.H0?.Data, c0 = a.C0?.Data, extra = a.Extra?.Data)
        {
            float* dh = sc + (long)r0 * u, dc = sc + ((long)N + r0) * u, dA = sc + (2L * N + r0) * u, tmp = sc + (3L * N + r0) * u;
            new Span<float>(dh, rows * u).Clear();
            for (int i = 0; i < rows; i++)
            {
                var dcRow = new Span<float>(dc + (long)i * u, u);
                if (a.WantCell) new ReadOnlySpan<float>(dout + ((long)(r0 + i) * tOut + T) * u, u).CopyTo(dcRow);
                else dcRow.Clear();
            }
            for (int st = T - 1; st >= 0; st--)
            {
                int tx = a.GoBackwards ? T - 1 - st : st;
                int txPrev = a.GoBackwards ? tx + 1 : tx - 1;
                float* hp = st == 0 ? (h0 is null ? zeros : h0) + r0 * u : outp + (long)r0 * tOut * u + (st - 1) * u;
                int ldh = st == 0 ? u : tOut * u;
                for (int i = 0; i < rows; i++)
                {
                    int n = r0 + i;
                    var dhRow = new Span<float>(dh + (long)i * u, u);
                    SpanMath.Add(dhRow, new ReadOnlySpan<float>(dout + ((long)n * tOut + st) * u, u), dhRow);
                    var dZ = new Span<float>(pdz + ((long)n * T + tx) * G, G);
                    var dR = pdr is null ? default : new Span<float>(pdr + ((long)n * T + tx) * G, G);
                    if (mask is not null && mask[n * T + tx] == 0f)
                    {
                        dZ.Clear();
                        dR.Clear();
                        continue; // dh and dc pass through unchanged
                    }
                    var g = new ReadOnlySpan<float>(gates + ((long)n * T + tx) * G, G);
                    var hprev = new ReadOnlySpan<float>(hp + (long)i * ldh, u);
                    var t = new Span<float>(tmp + (long)i * u, u);
                    switch (cell)
                    {
                        case RecurrentCell.SimpleRnn:
                            dhRow.CopyTo(dZ);
                            GateMath.MulGrad(a.Activation, g, dZ);
                            dhRow.Clear();
                            break;
                        case RecurrentCell.Lstm:
                        {
                            var dcRow = new Span<float>(dc + (long)i * u, u);
                            var c = new ReadOnlySpan<float>(extra + ((long)n * T + tx) * u, u);
                            ReadOnlySpan<float> cprev = st == 0 ? (c0 is null ? new ReadOnlySpan<float>(zeros + (long)n * u, u) : new ReadOnlySpan<float>(c0 + (long)n * u, u))
                                : new ReadOnlySpan<float>(extra + ((long)n * T + txPrev) * u, u);
                            var gi = g[..u]; var gf = g.Slice(u, u); var gc = g.Slice(2 * u, u); var go = g[(3 * u)..];
                            var di = dZ[..u]; var df = dZ.Slice(u, u); var dg = dZ.Slice(2 * u, u); var dO = dZ[(3 * u)..];
                            c.CopyTo(t);
                            GateMath.Apply(a.Activation, t);                       // t = act(c)
                            SpanMath.Multiply(dhRow, t, dO);              // do = dh act(c)
                            GateMath.MulGrad(a.GateActivation, go, dO);
                            SpanMath.Multiply(dhRow, go, di);             // dc += dh o act'(c)
                            GateMath.MulGrad(a.Activation, t, di);
                            SpanMath.Add(dcRow, di, dcRow);
                            SpanMath.Multiply(dcRow, gc, di);             // di = dc g
                            GateMath.MulGrad(a.GateActivation, gi, di);
                            SpanMath.Multiply(dcRow, gi, dg);             // dg = dc i
                            GateMath.MulGrad(a.Activation, gc, dg);
                            SpanMath.Multiply(dcRow, cprev, df);          // df = dc cprev
                            GateMath.MulGrad(a.GateActivation, gf, df);
                            SpanMath.Multiply(dcRow, gf, dcRow);          // dc_prev = dc f
                            dhRow.Clear();
                            break;
                        }
                        default:
                        {
                            // GRU: h = hh + z (hprev - hh).
                            var gz = g[..u]; var gr = g.Slice(u, u); var gh = g[(2 * u)..];
                            var dZz = dZ[..u]; var dZr = dZ.Slice(u, u); var dZh = dZ[(2 * u)..];
                            SpanMath.Subtract(hprev, gh, dZz);            // dz = dh (hprev - hh) z'
                            SpanMath.Multiply(dZz, dhRow, dZz);
                            GateMath.MulGrad(a.GateActivation, gz, dZz);
                            SpanMath.Multiply(dhRow, gz, t);              // direct part dh z
                            SpanMath.Subtract(dhRow, t, dZh);             // dhh = dh (1 - z), then act'
                            GateMath.MulGrad(a.Activation, gh, dZh);
                            t.CopyTo(dhRow);
                            if (cell == RecurrentCell.GruResetAfter)
                            {
                                var rh = new ReadOnlySpan<float>(extra + ((long)n * T + tx) * u, u);
                                SpanMath.Multiply(dZh, rh, dZr);          // dr = dah rh r'
                                GateMath.MulGrad(a.GateActivation, gr, dZr);
                                dZ[..(2 * u)].CopyTo(dR);
                                SpanMath.Multiply(dZh, gr, dR[(2 * u)..]);
                            }
                            break;
                        }
                    }
                }
                float* A = hprevBuf + (long)r0 * T * u + tx * u;
                if (cell == RecurrentCell.GruResetBefore)
                {
                    // d(r h) = dah U_h', then dr = d(r h) h r', and the h part d(r h) r.
                    Sgemm(false, true, rows, u, u, pdz + ((long)r0 * T + tx) * G + 2 * u, T * G, U + 2 * u, G, 0f, dA, u);
                    for (int i = 0; i < rows; i++)
                    {
                        int n = r0 + i;
                        var dZr = new Span<float>(pdz + ((long)n * T + tx) * G + u, u);
                        if (mask is not null && mask[n * T + tx] == 0f) { new Span<float>(dA + (long)i * u, u).Clear(); continue; }
                        var drh = new Span<float>(dA + (long)i * u, u);
                        var gr = new ReadOnlySpan<float>(gates + ((long)n * T + tx) * G + u, u);
                        SpanMath.Multiply(drh, new ReadOnlySpan<float>(A + (long)i * T * u, u), dZr);
                        GateMath.MulGrad(a.GateActivation, gr, dZr);
                        SpanMath.Multiply(drh, gr, drh);
                    }
                    Sgemm(false, true, rows, u, 2 * u, pdz + ((long)r0 * T + tx) * G, T * G, U, G, 1f, dA, u);
                }
                else
                {
                    float* src = (pdr is null ? pdz : pdr) + ((long)r0 * T + tx) * G;
                    Sgemm(false, true, rows, u, G, src, T * G, U, G, 0f, dA, u);
                }
                for (int i = 0; i < rows; i++)
                {
                    var dAr = new Span<float>(dA + (long)i * u, u);
                    if (rmask is not null) SpanMath.Multiply(dAr, rmask.AsSpan((r0 + i) * u, u), dAr);
                    var dhRow = new Span<float>(dh + (long)i * u, u);
                    SpanMath.Add(dhRow, dAr, dhRow);
                }
            }
        }
    }
}
