using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The input gradient of a strided convolution, split by phase: the dx pixels whose row is ph mod s (column pw mod s)
/// receive only the taps a = (ph + padTop) mod s + t s, from consecutive dy rows, so each phase is a stride-1 correlation
/// of dy with a sub-kernel (flipped, filters transposed into channels) that writes every s-th dx pixel. Parts claim
/// whole images: each copies a dy image into a zero-padded buffer and runs <see cref="ConvDirect"/>'s register tiles
/// (8 pixels x 32 channels) phase by phase, storing each tile straight into dx: no column buffer, no scatter-add, no
/// multiplies by the zeros a dilated dy would hold. Overwrites dx; groups 1, no dilation, channels a multiple of 16 up
/// to 32 (the direct tiles' measured range), a dy image that fits a core's L2.
/// </summary>
internal static unsafe class ConvInputPhases
{
    private const int MaxStride = 4;

    [ThreadStatic] private static AlignedBuffer? _kernel, _padded;
    [ThreadStatic] private static int[]? _offsets;

    /// <summary>Whether the input gradient of <paramref name="s"/> takes this path.</summary>
    public static bool Applies(in ConvSpec s) =>
        ConvInputGather.Enabled && Avx512F.IsSupported && Gemm.KernelBits == 512 && s.Groups == 1
        && (s.StrideH > 1 || s.StrideW > 1) && s.StrideH <= MaxStride && s.StrideW <= MaxStride
        && s.DilationH == 1 && s.DilationW == 1 && s.PadTop >= 0 && s.PadLeft >= 0
        && s.C % 16 == 0 && s.C <= 64 && (long)s.OH * s.OW * s.F <= 1 << 16 && (long)s.N * s.H * s.W <= int.MaxValue;

    /// <summary>dx = the input gradient of <paramref name="s"/> for output gradient dy.</summary>
    public static void InputGrad(float* dy, float* k, float* dx, in ConvSpec s)
    {
        float* phased = (_kernel ??= new AlignedBuffer()).Get(s.KernelSize);
        Rearrange(k, phased, s);
        var job = JobCache<Job>.TakeSpare() ?? new Job();
        job.Set(dy, phased, dx, s);
        try { ConvDirect.RunOverImages(job, s.KernelSize * s.N * s.OH * s.OW, s.N); }
        finally { JobCache<Job>.Return(job); }
    }

    /// <summary>One axis's phase: its first tap r, tap count t, dy offset q (phase pixel i reads dy i + q - t' for tap
    /// r + t' s) and pixel count (dx positions i s + phase below the size).</summary>
    private static (int R, int T, int Q, int Count) Phase(int phase, int stride, int pad, int kernel, int size)
    {
        int r = (phase + pad) % stride;
        int t = r < kernel ? (kernel - r + stride - 1) / stride : 0;
        return (r, t, (phase + pad - r) / stride, Math.Max(0, (size - phase + stride - 1) / stride));
    }

    /// <summary>The phases' sub-kernels one after another, (ph, pw) in order: [u][v][f][c] = k[r_h + (th-1-u) s][r_w + (tw-1-v) s][c][f].</summary>
    private static void Rearrange(float* k, float* to, in ConvSpec s)
    {
        int c = s.C, f = s.F;
        for (int ph = 0; ph < s.StrideH; ph++)
        for (int pw = 0; pw < s.StrideW; pw++)
        {
            var (rh, th, _, _) = Phase(ph, s.StrideH, s.PadTop, s.KH, s.H);
            var (rw, tw, _, _) = Phase(pw, s.StrideW, s.PadLeft, s.KW, s.W);
            for (int u = 0; u < th; u++)
            for (int v = 0; v < tw; v++, to += (long)f * c)
            {
                int a = rh + (th - 1 - u) * s.StrideH, b = rw + (tw - 1 - v) * s.StrideW;
                float* src = k + (long)(a * s.KW + b) * c * f;
                for (int ci = 0; ci < c; ci++)
                for (int fi = 0; fi < f; fi++)
                    to[fi * c + ci] = src[ci * f + fi];
            }
        }
    }

    private sealed class Job : IParallelJob
    {
        private float* _dy, _k, _dx;
        private ConvSpec _s;
        private int _next;

        public void Set(float* dy, float* k, float* dx, in ConvSpec s)
        {
            _dy = dy;
            _k = k;
            _dx = dx;
            _s = s;
            _next = 0;
        }

        public void Execute(int part, int parts)
        {
            int n = Interlocked.Increment(ref _next) - 1;
            ref readonly ConvSpec s = ref _s;
            if (n >= s.N) return;
            // The padded dy image covers every row and column any phase reads: from -max(t - 1 - q) to max(count - 1 + q).
            int top = 0, left = 0, bottom = 1, right = 1, maxTaps = 1;
            for (int ph = 0; ph < s.StrideH; ph++)
            {
                var (_, t, q, count) = Phase(ph, s.StrideH, s.PadTop, s.KH, s.H);
                if (t == 0 || count == 0) continue;
                top = Math.Max(top, t - 1 - q);
                bottom = Math.Max(bottom, count + q);
            }
            for (int pw = 0; pw < s.StrideW; pw++)
            {
                var (_, t, q, count) = Phase(pw, s.StrideW, s.PadLeft, s.KW, s.W);
                if (t == 0 || count == 0) continue;
                left = Math.Max(left, t - 1 - q);
                right = Math.Max(right, count + q);
            }
            maxTaps = ((s.KH + s.StrideH - 1) / s.StrideH) * ((s.KW + s.StrideW - 1) / s.StrideW) * s.F;
            int hp = top + bottom, wp = left + right;
            float* xp = (_padded ??= new AlignedBuffer()).Get((long)hp * wp * s.F + 16);
            var offsets = _offsets is { } o && o.Length >= maxTaps ? o : _offsets = new int[Math.Max(64, maxTaps)];
            // dy as the padded copy's source: an (oh, ow, f) image with `top` rows and `left` columns of zeros before it.
            var dySpec = new ConvSpec(s.N, s.OH, s.OW, s.F, 0, 0, 0, 1, 1, 1, 1, 1, 1, top, left, 1);
            fixed (int* off = offsets)
            {
                for (; n < s.N; n = Interlocked.Increment(ref _next) - 1)
                {
                    ConvDirect.Pad(_dy, xp, dySpec, n, hp, wp);
                    Image(xp, off, wp, top, left, _dx + (long)n * s.H * s.W * s.C, s);
                }
            }
        }

        private void Image(float* xp, int* off, int wp, int top, int left, float* dx, in ConvSpec s)
        {
            int c = s.C, f = s.F;
            float* k = _k;
            for (int ph = 0; ph < s.StrideH; ph++)
            for (int pw = 0; pw < s.StrideW; pw++)
            {
                var (_, th, qh, rows) = Phase(ph, s.StrideH, s.PadTop, s.KH, s.H);
                var (_, tw, qw, cols) = Phase(pw, s.StrideW, s.PadLeft, s.KW, s.W);
                int taps = th * tw * f, ldy = s.StrideW * c;
                for (int u = 0, t = 0; u < th; u++)
                for (int v = 0; v < tw; v++)
                for (int fi = 0; fi < f; fi++)
                    off[t++] = (u * wp + v) * f + fi;
                for (int i = 0; i < rows; i++)
                {
                    float* y = dx + ((long)(i * s.StrideH + ph) * s.W + pw) * c;
                    if (taps == 0)
                    {
                        for (int j = 0; j < cols; j++) new Span<float>(y + (long)j * ldy, c).Clear();
                        continue;
                    }
                    float* x = xp + ((long)(i - (th - 1 - qh) + top) * wp + (left - (tw - 1 - qw))) * f;
                    int j0 = 0;
                    for (; j0 + ConvDirect.PixelTile <= cols; j0 += ConvDirect.PixelTile)
                    {
                        int cb = 0;
                        for (; cb + 32 <= c; cb += 32) ConvDirect.Tile8x32(x + j0 * f, off, taps, f, k + cb, c, y + (long)j0 * ldy + cb, ldy);
                        if (cb < c) ConvDirect.Pixels16(x + j0 * f, off, taps, f, k + cb, c, y + (long)j0 * ldy + cb, ldy, ConvDirect.PixelTile);
                    }
                    for (int cb = 0; j0 < cols && cb < c; cb += 16)
                        ConvDirect.Pixels16(x + j0 * f, off, taps, f, k + cb, c, y + (long)j0 * ldy + cb, ldy, cols - j0);
                }
                k += (long)taps * c;
            }
        }
    }
}
