using Dendrite.Backends.Cpu.Kernels;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu.Recurrent;

/// <summary>
/// The forward-only pass (no gradient wanted: prediction, evaluation). It keeps only the running h and c of each row:
/// no saved gates, previous states or cell states. Each lane takes a range of batch rows through every step with its
/// own (rows, gates) buffers that stay in cache: per step the input projection x_t W and the recurrent product h U, both
/// on operands packed once per call, then one fused gate kernel per row (LSTM with tanh/sigmoid: vectorised
/// <see cref="FastGates"/>). Fed by an Embedding, x_t W is a row of <see cref="RecurrentArgs.ProjectedTable"/> instead. GRU, SimpleRNN and a recurrent dropout mask run the training forward on scoped buffers.
/// </summary>
internal static unsafe partial class RecurrentKernels
{
    private static void ForwardOnly(RecurrentArgs a, int maxLanes)
    {
        if (a.Cell != RecurrentCell.Lstm || a.RecurrentMask is not null)
        {
            ForwardOnlyGeneral(a, maxLanes);
            return;
        }
        var s = Sizes.Of(a);
        var z = Tensor.Empty([s.N, s.G]).Data;
        var r = Tensor.Empty([s.N, s.G]).Data;
        var h = Tensor.Empty([s.N, s.U]).Data;
        var c = Tensor.Empty([s.N, s.U]).Data;
        using var pw = a.ProjectedTable is null ? Pack(a.Kernel) : null;
        using var pu = Pack(a.RecurrentKernel);
        RowsJob.Run(Pass.ForwardOnlyLstm, a, s, LaneCount(s.N, maxLanes), z, r, h, c, pw, pu);
    }

    /// <summary>A packed copy of a (k, n) weight for the step products, or null where the AVX-512 tiles are off.</summary>
    private static Gemm.PackedPanels? Pack(Tensor b)
    {
        if (Gemm.KernelBits != 512 || b.Size == 0) return null;
        fixed (float* p = b.Data) return new Gemm.PackedPanels(p, b.Shape[1], b.Shape[0], b.Shape[1]);
    }

    /// <summary>c (m, n) = a (m, k; rows lda apart) b, on the packed b when there is one.</summary>
    private static void Product(int m, float* a, int lda, Gemm.PackedPanels? packed, float* b, int k, int n, float* c)
    {
        if (packed is not null) Gemm.SgemmPacked(m, a, lda, packed, c, n, 1);
        else Sgemm(false, false, m, n, k, a, lda, b, n, 0f, c, n);
    }

    private static void LstmForwardOnlyRows(RecurrentArgs a, Sizes s, int r0, int r1, Gemm.PackedPanels? pw, Gemm.PackedPanels? pu,
        float[] zBuf, float[] rBuf, float[] hBuf, float[] cBuf)
    {
        int rows = r1 - r0, T = s.T, F = s.F, u = s.U, G = s.G, tOut = a.Output.Shape[1];
        if (rows == 0) return;
        float[]? mask = a.Mask?.Data, ids = a.TokenIds?.Data;
        bool fused = a.Activation == RecurrentActivation.Tanh && a.GateActivation == RecurrentActivation.Sigmoid, last = a.LastOnly;
        fixed (float* x = a.X.Data, w = a.Kernel.Data, U = a.RecurrentKernel.Data, zb = zBuf, rb = rBuf, hb = hBuf, cb = cBuf,
               outp = a.Output.Data, bias = a.Bias?.Data, h0 = a.H0?.Data, c0 = a.C0?.Data, proj = a.ProjectedTable?.Data)
        {
            float* Z = zb + (long)r0 * G, R = rb + (long)r0 * G, H = hb + (long)r0 * u, C = cb + (long)r0 * u;
            var hs = new Span<float>(H, rows * u);
            var cs = new Span<float>(C, rows * u);
            if (h0 is null) hs.Clear(); else new ReadOnlySpan<float>(h0 + (long)r0 * u, rows * u).CopyTo(hs);
            if (c0 is null) cs.Clear(); else new ReadOnlySpan<float>(c0 + (long)r0 * u, rows * u).CopyTo(cs);
            for (int st = 0; st < T; st++)
            {
                int tx = a.GoBackwards ? T - 1 - st : st;
                if (proj == null) Product(rows, x + ((long)r0 * T + tx) * F, T * F, pw, w, F, G, Z);
                Product(rows, H, u, pu, U, u, G, R);
                for (int i = 0; i < rows; i++)
                {
                    int n = r0 + i;
                    float* hi = H + (long)i * u;
                    if (mask is null || mask[n * T + tx] != 0f)
                    {
                        float* zi = Z + (long)i * G;
                        if (proj != null)
                        {
                            // This token's row of table · kernel; the general cell works in place, so it gets a copy.
                            float* row = proj + (long)(int)ids![n * T + tx] * G;
                            if (fused) zi = row;
                            else new ReadOnlySpan<float>(row, G).CopyTo(new Span<float>(zi, G));
                        }
                        if (fused) LstmCell(zi, R + (long)i * G, bias, C + (long)i * u, hi, u);
                        else LstmCellGeneral(a, zi, R + (long)i * G, bias, C + (long)i * u, hi, u);
                    }
                    if (proj != null && st + 1 < T && Sse.IsSupported)
                    {
                        // The next step's table row is a random one of a table larger than the cache: fetch it now.
                        byte* next = (byte*)(proj + (long)(int)ids![n * T + (a.GoBackwards ? tx - 1 : tx + 1)] * G);
                        for (int l = 0; l < G * sizeof(float); l += 64) Sse.Prefetch0(next + l);
                    }
                    if (!last) new ReadOnlySpan<float>(hi, u).CopyTo(new Span<float>(outp + ((long)n * tOut + st) * u, u));
                }
            }
            int cRow = last ? 1 : T;
            for (int i = 0; i < rows; i++)
            {
                long n = r0 + i;
                if (last) new ReadOnlySpan<float>(H + (long)i * u, u).CopyTo(new Span<float>(outp + n * tOut * u, u));
                if (a.WantCell) new ReadOnlySpan<float>(C + (long)i * u, u).CopyTo(new Span<float>(outp + (n * tOut + cRow) * u, u));
            }
        }
    }

    /// <summary>One LSTM row with tanh and sigmoid: gates (z + r) + b, c = f c + i g, h = o tanh(c), in one pass.</summary>
    private static void LstmCell(float* z, float* r, float* b, float* c, float* h, int u)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= u - 16; j += 16)
            {
                var zi = Vector512.Load(z + j) + Vector512.Load(r + j);
                var zf = Vector512.Load(z + u + j) + Vector512.Load(r + u + j);
                var zg = Vector512.Load(z + 2 * u + j) + Vector512.Load(r + 2 * u + j);
                var zo = Vector512.Load(z + 3 * u + j) + Vector512.Load(r + 3 * u + j);
                if (b != null)
                {
                    zi += Vector512.Load(b + j);
                    zf += Vector512.Load(b + u + j);
                    zg += Vector512.Load(b + 2 * u + j);
                    zo += Vector512.Load(b + 3 * u + j);
                }
                var cn = FastGates.Sigmoid(zf) * Vector512.Load(c + j) + FastGates.Sigmoid(zi) * FastGates.Tanh(zg);
                cn.Store(c + j);
                (FastGates.Sigmoid(zo) * FastGates.Tanh(cn)).Store(h + j);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; j <= u - 8; j += 8)
            {
                var zi = Vector256.Load(z + j) + Vector256.Load(r + j);
                var zf = Vector256.Load(z + u + j) + Vector256.Load(r + u + j);
                var zg = Vector256.Load(z + 2 * u + j) + Vector256.Load(r + 2 * u + j);
                var zo = Vector256.Load(z + 3 * u + j) + Vector256.Load(r + 3 * u + j);
                if (b != null)
                {
                    zi += Vector256.Load(b + j);
                    zf += Vector256.Load(b + u + j);
                    zg += Vector256.Load(b + 2 * u + j);
                    zo += Vector256.Load(b + 3 * u + j);
                }
                var cn = FastGates.Sigmoid(zf) * Vector256.Load(c + j) + FastGates.Sigmoid(zi) * FastGates.Tanh(zg);
                cn.Store(c + j);
                (FastGates.Sigmoid(zo) * FastGates.Tanh(cn)).Store(h + j);
            }
        for (; j < u; j++)
        {
            float zi = z[j] + r[j], zf = z[u + j] + r[u + j], zg = z[2 * u + j] + r[2 * u + j], zo = z[3 * u + j] + r[3 * u + j];
            if (b != null)
            {
                zi += b[j];
                zf += b[u + j];
                zg += b[2 * u + j];
                zo += b[3 * u + j];
            }
            float cn = FastGates.Sigmoid(zf) * c[j] + FastGates.Sigmoid(zi) * FastGates.Tanh(zg);
            c[j] = cn;
            h[j] = FastGates.Sigmoid(zo) * FastGates.Tanh(cn);
        }
    }

    /// <summary>One LSTM row with other activations, as the training forward computes it.</summary>
    private static void LstmCellGeneral(RecurrentArgs a, float* zp, float* rp, float* b, float* cp, float* hp, int u)
    {
        var z = new Span<float>(zp, 4 * u);
        SpanMath.Add(z, new ReadOnlySpan<float>(rp, 4 * u), z);
        if (b != null) SpanMath.Add(z, new ReadOnlySpan<float>(b, 4 * u), z);
        GateMath.Apply(a.GateActivation, z[..(2 * u)]);
        GateMath.Apply(a.Activation, z.Slice(2 * u, u));
        GateMath.Apply(a.GateActivation, z[(3 * u)..]);
        var c = new Span<float>(cp, u);
        var h = new Span<float>(hp, u);
        SpanMath.Multiply(z.Slice(u, u), c, c);
        SpanMath.MultiplyAdd(z[..u], z.Slice(2 * u, u), c, c);
        c.CopyTo(h);
        GateMath.Apply(a.Activation, h);
        SpanMath.Multiply(h, z[(3 * u)..], h);
    }

    /// <summary>The training forward on scoped buffers, then (for <see cref="RecurrentArgs.LastOnly"/>) the last h and c copied out.</summary>
    private static void ForwardOnlyGeneral(RecurrentArgs a, int maxLanes)
    {
        var s = Sizes.Of(a);
        var full = a.LastOnly ? Tensor.Empty([s.N, s.TOut, s.U]) : a.Output;
        var b = new RecurrentArgs
        {
            Cell = a.Cell, Units = a.Units, GoBackwards = a.GoBackwards, Activation = a.Activation, GateActivation = a.GateActivation,
            X = a.X, Kernel = a.Kernel, RecurrentKernel = a.RecurrentKernel, Bias = a.Bias, H0 = a.H0, C0 = a.C0, Mask = a.Mask,
            RecurrentMask = a.RecurrentMask, WantCell = a.WantCell, Output = full,
            Gates = Tensor.Empty([s.N, s.T, s.G]), HPrev = Tensor.Empty([s.N, s.T, s.U]),
            Extra = a.Cell == RecurrentCell.SimpleRnn ? null : Tensor.Empty([s.N, s.T, s.U]),
        };
        Forward(b, maxLanes);
        if (!a.LastOnly) return;
        int rowsOut = a.Output.Shape[1];
        for (int n = 0; n < s.N; n++)
            full.Data.AsSpan((n * s.TOut + s.T - 1) * s.U, rowsOut * s.U).CopyTo(a.Output.Data.AsSpan(n * rowsOut * s.U, rowsOut * s.U));
    }
}
