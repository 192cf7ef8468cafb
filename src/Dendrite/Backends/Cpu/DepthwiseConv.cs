using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Depthwise convolutions (groups = channels, one input channel per group) computed directly: for each output pixel and
/// kernel tap, a multiply-add along the channels (one SpanMath.MultiplyAdd
/// when the depth multiplier is 1). A per-group GEMM would multiply matrices one column wide. The parts of a run split
/// the channels, so they never write the same element (forward, input gradient or kernel gradient).
/// </summary>
internal static unsafe class DepthwiseConv
{
    private const long ParallelWork = 1L << 15;

    /// <summary>True for a convolution this kernel computes.</summary>
    public static bool Applies(in ConvSpec s) => s.Groups == s.C && s.C > 0 && s.F % s.C == 0;

    /// <summary>Mode 0: y = conv(x, k); 1: x += conv_input_grad(y, k); 2: k += conv_kernel_grad(x, y) (the caller scales first).</summary>
    public static void Run(int mode, float* x, float* k, float* y, in ConvSpec s)
    {
        long work = (long)s.N * s.OH * s.OW * s.KH * s.KW * s.F;
        int parts = work < ParallelWork ? 1 : Math.Min(Settings.Threads, Math.Max(1, s.C / 16));
        if (parts <= 1)
        {
            Channels(mode, x, k, y, s, 0, s.C);
            return;
        }
        var job = JobCache<Job>.TakeSpare() ?? new Job();
        job.Set(mode, x, k, y, s);
        try { WorkerPool.Run(job, parts); }
        finally { JobCache<Job>.Return(job); }
    }

    private static void Channels(int mode, float* x, float* k, float* y, in ConvSpec s, int c0, int c1)
    {
        int dm = s.F / s.C, len = c1 - c0;
        if (len <= 0) return;
        for (int n = 0; n < s.N; n++)
        for (int oh = 0; oh < s.OH; oh++)
        for (int ow = 0; ow < s.OW; ow++)
        {
            float* yp = y + (((long)n * s.OH + oh) * s.OW + ow) * s.F + c0 * dm;
            if (mode == 0) new Span<float>(yp, len * dm).Clear();
            int ih0 = oh * s.StrideH - s.PadTop, iw0 = ow * s.StrideW - s.PadLeft;
            for (int a = 0; a < s.KH; a++)
            {
                int ih = ih0 + a * s.DilationH;
                if ((uint)ih >= (uint)s.H) continue;
                for (int b = 0; b < s.KW; b++)
                {
                    int iw = iw0 + b * s.DilationW;
                    if ((uint)iw >= (uint)s.W) continue;
                    float* xp = x + (((long)n * s.H + ih) * s.W + iw) * s.C + c0;
                    float* kp = k + (long)(a * s.KW + b) * s.F + c0 * dm;
                    if (dm == 1)
                    {
                        if (mode == 0) MultiplyAdd(xp, kp, yp, len);        // y += x * k
                        else if (mode == 1) MultiplyAdd(yp, kp, xp, len);   // dx += dy * k
                        else MultiplyAdd(xp, yp, kp, len);                  // dk += x * dy
                        continue;
                    }
                    for (int c = 0; c < len; c++)
                    for (int m = 0; m < dm; m++)
                    {
                        int o = c * dm + m;
                        if (mode == 0) yp[o] += xp[c] * kp[o];
                        else if (mode == 1) xp[c] += yp[o] * kp[o];
                        else kp[o] += xp[c] * yp[o];
                    }
                }
            }
        }
    }

    private static void MultiplyAdd(float* p, float* q, float* acc, int len)
    {
        var d = new Span<float>(acc, len);
        SpanMath.MultiplyAdd(new ReadOnlySpan<float>(p, len), new ReadOnlySpan<float>(q, len), d, d);
    }

    private sealed class Job : IParallelJob
    {
        private int _mode;
        private float* _x, _k, _y;
        private ConvSpec _s;

        public void Set(int mode, float* x, float* k, float* y, in ConvSpec s)
        {
            _mode = mode;
            _x = x;
            _k = k;
            _y = y;
            _s = s;
        }

        public void Execute(int part, int parts) =>
            Channels(_mode, _x, _k, _y, _s, (int)((long)_s.C * part / parts), (int)((long)_s.C * (part + 1) / parts));
    }
}
