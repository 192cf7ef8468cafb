using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Convolutions with short patch rows (kh x kw x c under 64 floats: a CNN's first layer on RGB images, K = 27) and, where
/// measured faster, of small images (see <see cref="AppliesForward"/>, <see cref="AppliesKernelGrad"/>), computed
/// directly instead of through im2col and a K = 27 GEMM (whose copy costs as much as its product): each image is copied
/// once into a zero-padded buffer, and a register tile of 8 output pixels x 32 filters accumulates one tap at a time (two
/// kernel vectors, eight broadcasts of input values, sixteen FMAs). The kernel gradient tiles 9 taps x 32 filters over
/// the pixels of each image, into one partial per group of images, added in group order (<see cref="GroupedPartials"/>).
/// Parts of <see cref="WorkerPool"/> claim whole images (the kernel gradient: whole groups). Filters must be a multiple
/// of 16; groups 1, any stride and dilation.
/// </summary>
internal static unsafe class ConvDirect
{
    internal const int PixelTile = 8;
    private const int TapTile = 9;

    [ThreadStatic] private static AlignedBuffer? _padded;
    [ThreadStatic] private static int[]? _offsets;
    [ThreadStatic] private static bool _disabled;

    /// <summary>Off on this thread: such convolutions take the im2col path (a switch for tests and measurements).</summary>
    internal static bool Enabled { get => !_disabled; set => _disabled = !value; }

    /// <summary>
    /// Whether a forward convolution takes this path: short patch rows, or a small image (the padded copy fits a core's
    /// L2) with at most 32 filters. Measured here (W5's layers, batch 32 and 128, one thread, medians of 7 interleaved
    /// rounds): 3x3x32 -> 32 stride 2 on 32x32 1,232 vs 1,303 us on the chunked path (5,325 vs 6,052 at 128), but with
    /// 64 filters in 8x32 tiles (each input value broadcast once per 32-filter block) 2,324 vs 2,164 and 1,241 vs 1,055.
    /// Exactly 64 filters take 4x64 tiles (each value broadcast once): W5's 64-filter layers, 9 alternating rounds, one
    /// thread, chunked vs this: 2,290 vs 2,261 and 1,111 vs 1,095 us at batch 32, 8,867 vs 8,670 and 3,932 vs 3,438 at 128.
    /// </summary>
    public static bool AppliesForward(in ConvSpec s) =>
        Common(s) && (ShortRows(s) || (SmallImage(s) && (s.F <= 32 || (Wide && s.F == 64))));

    /// <summary>Off: prediction's bias and activation run as a separate pass, not in the tiles (for measurements).</summary>
    internal static bool Epilogues { get; set; } = true;

    /// <summary>64 filters take the 4-pixel x 64-filter tile on this path (off: the chunked path; for measurements).</summary>
    internal static bool Wide { get; set; } = true;

    /// <summary>
    /// Whether a kernel gradient takes this path: short patch rows, or a small image with at least 256 output pixels
    /// (the 9-tap tile's accumulators are loaded and stored once per image). Measured as above: W5's second layer 1,201
    /// vs 1,760 us, third 2,335 vs 2,628; the fourth (8x8 outputs) 1,279 vs 1,216.
    /// </summary>
    public static bool AppliesKernelGrad(in ConvSpec s) => Common(s) && (ShortRows(s) || (SmallImage(s) && s.OH * s.OW >= 256));

    private static bool Common(in ConvSpec s) =>
        Enabled && Gemm.KernelBits == 512 && Avx512F.IsSupported && s.Groups == 1 && s.F % 16 == 0 && (long)s.N * s.OH * s.OW <= int.MaxValue;

    private static bool ShortRows(in ConvSpec s) => s.KH * s.KW * s.C < 64;

    private static bool SmallImage(in ConvSpec s) => SmallImages && (long)s.H * s.W * s.C <= 1 << 16;

    /// <summary>Off: only short patch rows take this path (a switch for measurements).</summary>
    internal static bool SmallImages { get; set; } = true;

    public static void Forward(float* x, float* k, float* y, in ConvSpec s) => Run(0, x, k, y, s, 0f, default);

    /// <summary>y = activation(conv(x, k) + bias), the bias and activation applied to each register tile before its store.</summary>
    public static void Forward(float* x, float* k, float* y, in ConvSpec s, in Epilogue e) => Run(0, x, k, y, s, 0f, e);

    public static void KernelGrad(float* x, float* dy, float* dk, in ConvSpec s, float beta) => Run(2, x, dk, dy, s, beta, default);

    private static void Run(int mode, float* image, float* k, float* y, in ConvSpec s, float beta, in Epilogue e)
    {
        var job = JobCache<Job>.TakeSpare() ?? new Job();
        long work = (long)s.N * s.OH * s.OW * s.KH * s.KW * s.C * s.F;
        int parts = Parts(work, s.N);
        job.Set(mode, image, k, y, s, e, parts);
        try
        {
            Run(job, parts);
            if (mode == 2) job.Partials.AddTo(k, (int)s.KernelSize, beta);
        }
        finally { JobCache<Job>.Return(job); }
    }

    /// <summary>Runs a job whose parts claim whole images (this kernel's, <see cref="ConvWinograd"/>'s and
    /// <see cref="ConvInputPhases"/>'s) on <see cref="Parts"/> parts.</summary>
    internal static void RunOverImages(IParallelJob job, long work, int images) => Run(job, Parts(work, images));

    /// <summary>One part below the GEMM's parallel threshold of multiply-adds, else a part per thread, at most one per image.</summary>
    private static int Parts(long work, int images) =>
        work < Gemm.ParallelThreshold ? 1 : Math.Min(Math.Min(Settings.Threads, images), MaxParts);

    private static void Run(IParallelJob job, int parts)
    {
        if (parts <= 1) job.Execute(0, 1);
        else WorkerPool.Run(job, parts);
    }

    private static readonly int MaxParts = Environment.ProcessorCount;

    /// <summary>The padded image's height and width: just what the output pixels' windows read.</summary>
    private static (int Hp, int Wp) PaddedSize(in ConvSpec s) =>
        ((s.OH - 1) * s.StrideH + (s.KH - 1) * s.DilationH + 1, (s.OW - 1) * s.StrideW + (s.KW - 1) * s.DilationW + 1);

    /// <summary>Copies image n into xp (hp x wp x c), zeros where the window reads padding.</summary>
    internal static void Pad(float* x, float* xp, in ConvSpec s, int n, int hp, int wp)
    {
        int c = s.C, rowLength = wp * c;
        int lo = s.PadLeft, hi = Math.Min(wp, s.PadLeft + s.W);
        for (int ih = 0; ih < hp; ih++)
        {
            var dst = new Span<float>(xp + (long)ih * rowLength, rowLength);
            int src = ih - s.PadTop;
            if ((uint)src >= (uint)s.H || hi <= lo)
            {
                dst.Clear();
                continue;
            }
            dst[..(lo * c)].Clear();
            new ReadOnlySpan<float>(x + (((long)n * s.H + src) * s.W) * c, (hi - lo) * c).CopyTo(dst[(lo * c)..]);
            dst[(hi * c)..].Clear();
        }
    }

    /// <summary>Each tap's offset in the padded image from its window's corner, in the kernel's (kh, kw, c) order.</summary>
    private static int* Offsets(in ConvSpec s, int wp, int* into)
    {
        int t = 0;
        for (int a = 0; a < s.KH; a++)
        for (int b = 0; b < s.KW; b++)
        for (int c = 0; c < s.C; c++)
            into[t++] = ((a * s.DilationH) * wp + b * s.DilationW) * s.C + c;
        return into;
    }

    private sealed class Job : IParallelJob
    {
        private int _mode, _next;
        private float* _image, _k, _y;
        private ConvSpec _s;
        private Epilogue _epilogue;

        /// <summary>The kernel gradient's per-group sums (mode 2).</summary>
        public readonly GroupedPartials Partials = new();

        public void Set(int mode, float* image, float* k, float* y, in ConvSpec s, in Epilogue e, int parts)
        {
            _epilogue = e;
            _image = image;
            _k = k;
            _y = y;
            (_mode, _s) = (mode, s);
            if (mode == 2) Partials.Set(s.N, parts, s.KernelSize);
            _next = 0;
        }

        public void Execute(int part, int parts)
        {
            ref readonly ConvSpec s = ref _s;
            var (hp, wp) = PaddedSize(s);
            float* xp = (_padded ??= new AlignedBuffer()).Get((long)hp * wp * s.C + 16);
            int taps = s.KH * s.KW * s.C;
            var offsets = _offsets is { } o && o.Length >= taps ? o : _offsets = new int[Math.Max(64, taps)];
            fixed (int* off = offsets)
            {
                Offsets(s, wp, off);
                if (_mode == 2)
                {
                    // Each group of images sums into its own buffer (see GroupedPartials: a fixed order of addition).
                    while (Partials.Claim(out int g, out int first, out int end))
                    {
                        float* acc = Partials.Buffer(g, s.KernelSize);
                        new Span<float>(acc, (int)s.KernelSize).Clear();
                        for (int n = first; n < end; n++)
                        {
                            Pad(_image, xp, s, n, hp, wp);
                            KernelGradImage(xp, off, taps, wp, _y + (long)n * s.OH * s.OW * s.F, acc, s);
                        }
                    }
                    return;
                }
                for (int n = Interlocked.Increment(ref _next) - 1; n < s.N; n = Interlocked.Increment(ref _next) - 1)
                {
                    Pad(_image, xp, s, n, hp, wp);
                    ForwardImage(xp, off, taps, wp, _k, _y + (long)n * s.OH * s.OW * s.F, s, _epilogue);
                }
            }
        }
    }

    private static void ForwardImage(float* xp, int* off, int taps, int wp, float* k, float* y, in ConvSpec s, in Epilogue e)
    {
        int f = s.F, step = s.StrideW * s.C;
        bool wide = f % 64 == 0;
        for (int oh = 0; oh < s.OH; oh++)
        {
            float* row = xp + (long)oh * s.StrideH * wp * s.C;
            float* yrow = y + (long)oh * s.OW * f;
            int ow = 0;
            for (; wide && ow + 4 <= s.OW; ow += 4)
                for (int fb = 0; fb < f; fb += 64) Tile4x64(row + ow * step, off, taps, step, k + fb, f, yrow + ow * f + fb, f, e.At(fb));
            for (; ow + PixelTile <= s.OW; ow += PixelTile)
            {
                int fb = 0;
                for (; fb + 32 <= f; fb += 32) Tile8x32(row + ow * step, off, taps, step, k + fb, f, yrow + ow * f + fb, f, e.At(fb));
                if (fb < f) Pixels16(row + ow * step, off, taps, step, k + fb, f, yrow + ow * f + fb, f, PixelTile, e.At(fb));
            }
            for (int fb = 0; ow < s.OW && fb < f; fb += 16)
                Pixels16(row + ow * step, off, taps, step, k + fb, f, yrow + ow * f + fb, f, s.OW - ow, e.At(fb));
        }
    }

    /// <summary>y[j ldy + 0..32) = sum over taps of x[j * step + off[t]] k[t][0..32), j = 0..7.</summary>
    internal static void Tile8x32(float* x, int* off, int taps, int step, float* k, int ldk, float* y, int ldy, in Epilogue e = default)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        for (int t = 0; t < taps; t++)
        {
            float* kt = k + (long)t * ldk;
            var w0 = Vector512.Load(kt);
            var w1 = Vector512.Load(kt + 16);
            float* xt = x + off[t];
            var v = Vector512.Create(xt[0]);
            a0 = Avx512F.FusedMultiplyAdd(v, w0, a0); b0 = Avx512F.FusedMultiplyAdd(v, w1, b0);
            v = Vector512.Create(xt[step]);
            a1 = Avx512F.FusedMultiplyAdd(v, w0, a1); b1 = Avx512F.FusedMultiplyAdd(v, w1, b1);
            v = Vector512.Create(xt[2 * step]);
            a2 = Avx512F.FusedMultiplyAdd(v, w0, a2); b2 = Avx512F.FusedMultiplyAdd(v, w1, b2);
            v = Vector512.Create(xt[3 * step]);
            a3 = Avx512F.FusedMultiplyAdd(v, w0, a3); b3 = Avx512F.FusedMultiplyAdd(v, w1, b3);
            v = Vector512.Create(xt[4 * step]);
            a4 = Avx512F.FusedMultiplyAdd(v, w0, a4); b4 = Avx512F.FusedMultiplyAdd(v, w1, b4);
            v = Vector512.Create(xt[5 * step]);
            a5 = Avx512F.FusedMultiplyAdd(v, w0, a5); b5 = Avx512F.FusedMultiplyAdd(v, w1, b5);
            v = Vector512.Create(xt[6 * step]);
            a6 = Avx512F.FusedMultiplyAdd(v, w0, a6); b6 = Avx512F.FusedMultiplyAdd(v, w1, b6);
            v = Vector512.Create(xt[7 * step]);
            a7 = Avx512F.FusedMultiplyAdd(v, w0, a7); b7 = Avx512F.FusedMultiplyAdd(v, w1, b7);
        }
        if (e.Active)
        {
            var (p0, p1) = (e.Bias(0), e.Bias(16));
            a0 = e.Apply(a0, p0); b0 = e.Apply(b0, p1); a1 = e.Apply(a1, p0); b1 = e.Apply(b1, p1);
            a2 = e.Apply(a2, p0); b2 = e.Apply(b2, p1); a3 = e.Apply(a3, p0); b3 = e.Apply(b3, p1);
            a4 = e.Apply(a4, p0); b4 = e.Apply(b4, p1); a5 = e.Apply(a5, p0); b5 = e.Apply(b5, p1);
            a6 = e.Apply(a6, p0); b6 = e.Apply(b6, p1); a7 = e.Apply(a7, p0); b7 = e.Apply(b7, p1);
        }
        a0.Store(y); b0.Store(y + 16); y += ldy;
        a1.Store(y); b1.Store(y + 16); y += ldy;
        a2.Store(y); b2.Store(y + 16); y += ldy;
        a3.Store(y); b3.Store(y + 16); y += ldy;
        a4.Store(y); b4.Store(y + 16); y += ldy;
        a5.Store(y); b5.Store(y + 16); y += ldy;
        a6.Store(y); b6.Store(y + 16); y += ldy;
        a7.Store(y); b7.Store(y + 16);
    }

    /// <summary>y[j ldy + 0..64) = sum over taps of x[j * step + off[t]] k[t][0..64), j = 0..3: four kernel vectors and
    /// four broadcasts per tap for sixteen FMAs (the 8x32 tile needs ten loads for its sixteen).</summary>
    internal static void Tile4x64(float* x, int* off, int taps, int step, float* k, int ldk, float* y, int ldy, in Epilogue e = default)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
        for (int t = 0; t < taps; t++)
        {
            float* kt = k + (long)t * ldk;
            var w0 = Vector512.Load(kt);
            var w1 = Vector512.Load(kt + 16);
            var w2 = Vector512.Load(kt + 32);
            var w3 = Vector512.Load(kt + 48);
            float* xt = x + off[t];
            var v = Vector512.Create(xt[0]);
            a0 = Avx512F.FusedMultiplyAdd(v, w0, a0); b0 = Avx512F.FusedMultiplyAdd(v, w1, b0);
            c0 = Avx512F.FusedMultiplyAdd(v, w2, c0); d0 = Avx512F.FusedMultiplyAdd(v, w3, d0);
            v = Vector512.Create(xt[step]);
            a1 = Avx512F.FusedMultiplyAdd(v, w0, a1); b1 = Avx512F.FusedMultiplyAdd(v, w1, b1);
            c1 = Avx512F.FusedMultiplyAdd(v, w2, c1); d1 = Avx512F.FusedMultiplyAdd(v, w3, d1);
            v = Vector512.Create(xt[2 * step]);
            a2 = Avx512F.FusedMultiplyAdd(v, w0, a2); b2 = Avx512F.FusedMultiplyAdd(v, w1, b2);
            c2 = Avx512F.FusedMultiplyAdd(v, w2, c2); d2 = Avx512F.FusedMultiplyAdd(v, w3, d2);
            v = Vector512.Create(xt[3 * step]);
            a3 = Avx512F.FusedMultiplyAdd(v, w0, a3); b3 = Avx512F.FusedMultiplyAdd(v, w1, b3);
            c3 = Avx512F.FusedMultiplyAdd(v, w2, c3); d3 = Avx512F.FusedMultiplyAdd(v, w3, d3);
        }
        if (e.Active)
        {
            var (p0, p1, p2, p3) = (e.Bias(0), e.Bias(16), e.Bias(32), e.Bias(48));
            a0 = e.Apply(a0, p0); b0 = e.Apply(b0, p1); c0 = e.Apply(c0, p2); d0 = e.Apply(d0, p3);
            a1 = e.Apply(a1, p0); b1 = e.Apply(b1, p1); c1 = e.Apply(c1, p2); d1 = e.Apply(d1, p3);
            a2 = e.Apply(a2, p0); b2 = e.Apply(b2, p1); c2 = e.Apply(c2, p2); d2 = e.Apply(d2, p3);
            a3 = e.Apply(a3, p0); b3 = e.Apply(b3, p1); c3 = e.Apply(c3, p2); d3 = e.Apply(d3, p3);
        }
        a0.Store(y); b0.Store(y + 16); c0.Store(y + 32); d0.Store(y + 48); y += ldy;
        a1.Store(y); b1.Store(y + 16); c1.Store(y + 32); d1.Store(y + 48); y += ldy;
        a2.Store(y); b2.Store(y + 16); c2.Store(y + 32); d2.Store(y + 48); y += ldy;
        a3.Store(y); b3.Store(y + 16); c3.Store(y + 32); d3.Store(y + 48);
    }

    /// <summary>16 filters of <paramref name="count"/> pixels, one pixel at a time (edges and a last block of 16 filters).</summary>
    internal static void Pixels16(float* x, int* off, int taps, int step, float* k, int ldk, float* y, int ldy, int count,
        in Epilogue e = default)
    {
        for (int j = 0; j < count; j++, x += step, y += ldy)
        {
            Vector512<float> acc = default;
            for (int t = 0; t < taps; t++)
                acc = Avx512F.FusedMultiplyAdd(Vector512.Create(x[off[t]]), Vector512.Load(k + (long)t * ldk), acc);
            if (e.Active) acc = e.Apply(acc, e.Bias(0));
            acc.Store(y);
        }
    }

    private static void KernelGradImage(float* xp, int* off, int taps, int wp, float* dy, float* dk, in ConvSpec s)
    {
        int f = s.F, step = s.StrideW * s.C, rowStep = s.StrideH * wp * s.C;
        int t0 = 0;
        for (; t0 + TapTile <= taps; t0 += TapTile)
        {
            int fb = 0;
            for (; fb + 32 <= f; fb += 32) Taps9x32(xp, off + t0, step, rowStep, s.OH, s.OW, dy + fb, f, dk + (long)t0 * f + fb);
            for (; fb < f; fb += 16)
                for (int t = t0; t < t0 + TapTile; t++) OneTap16(xp + off[t], step, rowStep, s.OH, s.OW, dy + fb, f, dk + (long)t * f + fb);
        }
        for (int t = t0; t < taps; t++)
            for (int fb = 0; fb < f; fb += 16) OneTap16(xp + off[t], step, rowStep, s.OH, s.OW, dy + fb, f, dk + (long)t * f + fb);
    }

    /// <summary>dk[t][0..32) += sum over the image's output pixels p of x[p + off[t]] dy[p][0..32), t = 0..8.</summary>
    private static void Taps9x32(float* xp, int* off, int step, int rowStep, int oh, int ow, float* dy, int f, float* dk)
    {
        long ldk = f;
        var a0 = Vector512.Load(dk); var b0 = Vector512.Load(dk + 16);
        var a1 = Vector512.Load(dk + ldk); var b1 = Vector512.Load(dk + ldk + 16);
        var a2 = Vector512.Load(dk + 2 * ldk); var b2 = Vector512.Load(dk + 2 * ldk + 16);
        var a3 = Vector512.Load(dk + 3 * ldk); var b3 = Vector512.Load(dk + 3 * ldk + 16);
        var a4 = Vector512.Load(dk + 4 * ldk); var b4 = Vector512.Load(dk + 4 * ldk + 16);
        var a5 = Vector512.Load(dk + 5 * ldk); var b5 = Vector512.Load(dk + 5 * ldk + 16);
        var a6 = Vector512.Load(dk + 6 * ldk); var b6 = Vector512.Load(dk + 6 * ldk + 16);
        var a7 = Vector512.Load(dk + 7 * ldk); var b7 = Vector512.Load(dk + 7 * ldk + 16);
        var a8 = Vector512.Load(dk + 8 * ldk); var b8 = Vector512.Load(dk + 8 * ldk + 16);
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5], o6 = off[6], o7 = off[7], o8 = off[8];
        for (int i = 0; i < oh; i++)
        {
            float* x = xp + (long)i * rowStep;
            float* g = dy + (long)i * ow * f;
            for (int j = 0; j < ow; j++, x += step, g += f)
            {
                var g0 = Vector512.Load(g);
                var g1 = Vector512.Load(g + 16);
                var v = Vector512.Create(x[o0]);
                a0 = Avx512F.FusedMultiplyAdd(v, g0, a0); b0 = Avx512F.FusedMultiplyAdd(v, g1, b0);
                v = Vector512.Create(x[o1]);
                a1 = Avx512F.FusedMultiplyAdd(v, g0, a1); b1 = Avx512F.FusedMultiplyAdd(v, g1, b1);
                v = Vector512.Create(x[o2]);
                a2 = Avx512F.FusedMultiplyAdd(v, g0, a2); b2 = Avx512F.FusedMultiplyAdd(v, g1, b2);
                v = Vector512.Create(x[o3]);
                a3 = Avx512F.FusedMultiplyAdd(v, g0, a3); b3 = Avx512F.FusedMultiplyAdd(v, g1, b3);
                v = Vector512.Create(x[o4]);
                a4 = Avx512F.FusedMultiplyAdd(v, g0, a4); b4 = Avx512F.FusedMultiplyAdd(v, g1, b4);
                v = Vector512.Create(x[o5]);
                a5 = Avx512F.FusedMultiplyAdd(v, g0, a5); b5 = Avx512F.FusedMultiplyAdd(v, g1, b5);
                v = Vector512.Create(x[o6]);
                a6 = Avx512F.FusedMultiplyAdd(v, g0, a6); b6 = Avx512F.FusedMultiplyAdd(v, g1, b6);
                v = Vector512.Create(x[o7]);
                a7 = Avx512F.FusedMultiplyAdd(v, g0, a7); b7 = Avx512F.FusedMultiplyAdd(v, g1, b7);
                v = Vector512.Create(x[o8]);
                a8 = Avx512F.FusedMultiplyAdd(v, g0, a8); b8 = Avx512F.FusedMultiplyAdd(v, g1, b8);
            }
        }
        a0.Store(dk); b0.Store(dk + 16);
        a1.Store(dk + ldk); b1.Store(dk + ldk + 16);
        a2.Store(dk + 2 * ldk); b2.Store(dk + 2 * ldk + 16);
        a3.Store(dk + 3 * ldk); b3.Store(dk + 3 * ldk + 16);
        a4.Store(dk + 4 * ldk); b4.Store(dk + 4 * ldk + 16);
        a5.Store(dk + 5 * ldk); b5.Store(dk + 5 * ldk + 16);
        a6.Store(dk + 6 * ldk); b6.Store(dk + 6 * ldk + 16);
        a7.Store(dk + 7 * ldk); b7.Store(dk + 7 * ldk + 16);
        a8.Store(dk + 8 * ldk); b8.Store(dk + 8 * ldk + 16);
    }

    /// <summary>dk[0..16) += sum over the image's output pixels p of x[p] dy[p][0..16) (x already at the tap's offset).</summary>
    private static void OneTap16(float* xp, int step, int rowStep, int oh, int ow, float* dy, int f, float* dk)
    {
        var acc = Vector512.Load(dk);
        for (int i = 0; i < oh; i++)
        {
            float* x = xp + (long)i * rowStep;
            float* g = dy + (long)i * ow * f;
            for (int j = 0; j < ow; j++, x += step, g += f)
                acc = Avx512F.FusedMultiplyAdd(Vector512.Create(*x), Vector512.Load(g), acc);
        }
        acc.Store(dk);
    }
}
