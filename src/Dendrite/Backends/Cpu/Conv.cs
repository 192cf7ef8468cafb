using Dendrite.Backends.Cpu.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Convolutions on the packed GEMM: the input's patches are copied row by row (one row per output pixel, kh x kw x c/groups
/// wide, the kernel's own layout) into a per-thread buffer, a chunk of output pixels at a time, and multiplied by the kernel
/// viewed as a (kh kw c/groups, f) matrix. The input gradient multiplies by the kernel's transpose and scatters the patches
/// back (col2im), except where <see cref="ConvInputGather"/> computes it as a forward convolution (stride 1); the kernel
/// gradient multiplies the patches' transpose by the output gradient. A 1x1 convolution with
/// stride 1 and no padding skips the copy; depthwise
/// convolutions go to <see cref="DepthwiseConv"/>, 3x3 stride-1 ones with 32+ channels to <see cref="ConvWinograd"/>, short
/// patch rows and small images to <see cref="ConvDirect"/> or <see cref="ConvChunked"/>. The copy and the scatter run in parts on <see cref="WorkerPool"/>, the products
/// on the GEMM's own threads; the buffer is allocated once per thread and grown on demand.
/// </summary>
internal static unsafe class Conv
{
    /// <summary>The patch buffer holds about this many floats (16 MB): a chunk of rows large enough for the GEMM's blocking.</summary>
    private const long BufferFloats = 1L << 22;

    /// <summary>Below this many floats copied, one thread copies the patches.</summary>
    private const long ParallelCopy = 1L << 15;

    [ThreadStatic] private static AlignedBuffer? _buffer;

    public static void Forward(float* x, float* k, float* y, in ConvSpec s)
    {
        long rowsAll = (long)s.N * s.OH * s.OW;
        if (rowsAll == 0 || s.F == 0) return;
        if (IsPointwise(s))
        {
            Sgemm(false, false, (int)rowsAll, s.F, s.C, x, s.C, k, s.F, 0f, y, s.F);
            return;
        }
        if (DepthwiseConv.Applies(s))
        {
            DepthwiseConv.Run(0, x, k, y, s);
            return;
        }
        if (ConvWinograd.Applies(s))
        {
            ConvWinograd.Forward(x, k, y, s);
            return;
        }
        if (ConvDirect.AppliesForward(s))
        {
            ConvDirect.Forward(x, k, y, s);
            return;
        }
        if (ConvChunked.Applies(s))
        {
            ConvChunked.Forward(x, k, y, s);
            return;
        }
        int cg = s.GroupChannels, fg = s.GroupFilters, kk = s.KH * s.KW * cg;
        int chunk = ChunkRows(kk, rowsAll);
        float* col = Buffer((long)chunk * kk);
        for (long r0 = 0; r0 < rowsAll; r0 += chunk)
        {
            int rows = (int)Math.Min(chunk, rowsAll - r0);
            for (int g = 0; g < s.Groups; g++)
            {
                Patches(x, col, s, g, r0, rows, scatter: false);
                Sgemm(false, false, rows, fg, kk, col, kk, k + g * fg, s.F, 0f, y + r0 * s.F + g * fg, s.F);
            }
        }
    }

    public static void InputGrad(float* dy, float* k, float* dx, in ConvSpec s, float beta)
    {
        long rowsAll = (long)s.N * s.OH * s.OW;
        if (IsPointwise(s) && rowsAll > 0)
        {
            Sgemm(false, true, (int)rowsAll, s.C, s.F, dy, s.F, k, s.F, beta, dx, s.C);
            return;
        }
        if (beta == 0f && rowsAll > 0 && s.F > 0 && ConvInputGather.Applies(s))
        {
            ConvInputGather.InputGrad(dy, k, dx, s);
            return;
        }
        Scale(dx, s.InputSize, beta);
        if (rowsAll == 0 || s.F == 0) return;
        if (DepthwiseConv.Applies(s))
        {
            DepthwiseConv.Run(1, dx, k, dy, s);
            return;
        }
        int cg = s.GroupChannels, fg = s.GroupFilters, kk = s.KH * s.KW * cg;
        int chunk = ChunkRows(kk, rowsAll);
        float* col = Buffer((long)chunk * kk);
        for (long r0 = 0; r0 < rowsAll; r0 += chunk)
        {
            int rows = (int)Math.Min(chunk, rowsAll - r0);
            for (int g = 0; g < s.Groups; g++)
            {
                Sgemm(false, true, rows, kk, fg, dy + r0 * s.F + g * fg, s.F, k + g * fg, s.F, 0f, col, kk);
                Patches(dx, col, s, g, r0, rows, scatter: true);
            }
        }
    }

    public static void KernelGrad(float* x, float* dy, float* dk, in ConvSpec s, float beta)
    {
        long rowsAll = (long)s.N * s.OH * s.OW;
        if (rowsAll == 0 || s.F == 0)
        {
            Scale(dk, s.KernelSize, beta);
            return;
        }
        if (IsPointwise(s))
        {
            Sgemm(true, false, s.C, s.F, (int)rowsAll, x, s.C, dy, s.F, beta, dk, s.F);
            return;
        }
        if (DepthwiseConv.Applies(s))
        {
            Scale(dk, s.KernelSize, beta);
            DepthwiseConv.Run(2, x, dk, dy, s);
            return;
        }
        if (ConvDirect.AppliesKernelGrad(s))
        {
            ConvDirect.KernelGrad(x, dy, dk, s, beta);
            return;
        }
        if (ConvChunked.Applies(s))
        {
            ConvChunked.KernelGrad(x, dy, dk, s, beta);
            return;
        }
        int cg = s.GroupChannels, fg = s.GroupFilters, kk = s.KH * s.KW * cg;
        int chunk = ChunkRows(kk, rowsAll);
        float* col = Buffer((long)chunk * kk);
        for (long r0 = 0; r0 < rowsAll; r0 += chunk)
        {
            int rows = (int)Math.Min(chunk, rowsAll - r0);
            for (int g = 0; g < s.Groups; g++)
            {
                Patches(x, col, s, g, r0, rows, scatter: false);
                Sgemm(true, false, kk, fg, rows, col, kk, dy + r0 * s.F + g * fg, s.F, r0 == 0 ? beta : 1f, dk + g * fg, s.F);
            }
        }
    }

    private static bool IsPointwise(in ConvSpec s) =>
        s.KH == 1 && s.KW == 1 && s.StrideH == 1 && s.StrideW == 1 && s.PadTop == 0 && s.PadLeft == 0 && s.Groups == 1
        && s.OH == s.H && s.OW == s.W;

    private static int ChunkRows(int kk, long rows) => (int)Math.Clamp(BufferFloats / Math.Max(kk, 1), 1, rows);

    private static void Sgemm(bool ta, bool tb, int m, int n, int k, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
        Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc, Gemm.KernelBits, Settings.Threads);

    private static void Scale(float* p, long length, float beta)
    {
        for (long i = 0; i < length; i += int.MaxValue / 2)
        {
            var span = new Span<float>(p + i, (int)Math.Min(int.MaxValue / 2, length - i));
            if (beta == 0f) span.Clear();
            else if (beta != 1f) SpanMath.Multiply(span, beta, span);
        }
    }

    private static float* Buffer(long length) => (_buffer ??= new AlignedBuffer()).Get(length);

    /// <summary>Copies rows [r0, r0 + rows) of group g's patches into col, or (scatter) adds col back into the input's shape.</summary>
    private static void Patches(float* image, float* col, in ConvSpec s, int g, long r0, int rows, bool scatter)
    {
        long work = (long)rows * s.KH * s.KW * s.GroupChannels;
        int parts = work < ParallelCopy ? 1 : Settings.Threads;
        // The scatter splits the channels (parts never write the same element), the copy splits the rows.
        if (scatter) parts = Math.Min(parts, Math.Max(1, s.GroupChannels / 8));
        if (parts <= 1)
        {
            if (scatter) Col2Im(col, image, s, g, r0, 0, rows, 0, s.GroupChannels);
            else Im2Col(image, col, s, g, r0, 0, rows);
            return;
        }
        var job = JobCache<PatchJob>.TakeSpare() ?? new PatchJob();
        job.Set(image, col, s, g, r0, rows, scatter);
        try { WorkerPool.Run(job, parts); }
        finally { JobCache<PatchJob>.Return(job); }
    }

    internal static void Im2Col(float* x, float* col, in ConvSpec s, int g, long r0, int lo, int hi)
    {
        int cg = s.GroupChannels, kk = s.KH * s.KW * cg, rowWidth = s.KW * cg;
        long plane = (long)s.OH * s.OW;
        bool wholeRows = cg == s.C && s.DilationW == 1;
        for (int r = lo; r < hi; r++)
        {
            long row = r0 + r;
            int n = (int)(row / plane), rem = (int)(row % plane), oh = rem / s.OW, ow = rem % s.OW;
            float* dst = col + (long)r * kk;
            int ih0 = oh * s.StrideH - s.PadTop, iw0 = ow * s.StrideW - s.PadLeft;
            for (int a = 0; a < s.KH; a++, dst += rowWidth)
            {
                int ih = ih0 + a * s.DilationH;
                if ((uint)ih >= (uint)s.H)
                {
                    new Span<float>(dst, rowWidth).Clear();
                    continue;
                }
                float* src = x + ((long)n * s.H + ih) * s.W * s.C + g * cg;
                if (wholeRows && iw0 >= 0 && iw0 + s.KW <= s.W)
                {
                    new ReadOnlySpan<float>(src + (long)iw0 * s.C, rowWidth).CopyTo(new Span<float>(dst, rowWidth));
                    continue;
                }
                for (int b = 0; b < s.KW; b++)
                {
                    int iw = iw0 + b * s.DilationW;
                    var d = new Span<float>(dst + b * cg, cg);
                    if ((uint)iw >= (uint)s.W) d.Clear();
                    else new ReadOnlySpan<float>(src + (long)iw * s.C, cg).CopyTo(d);
                }
            }
        }
    }

    internal static void Col2Im(float* col, float* dx, in ConvSpec s, int g, long r0, int lo, int hi, int c0, int c1)
    {
        int cg = s.GroupChannels, kk = s.KH * s.KW * cg, len = c1 - c0;
        if (len <= 0) return;
        long plane = (long)s.OH * s.OW;
        for (int r = lo; r < hi; r++)
        {
            long row = r0 + r;
            int n = (int)(row / plane), rem = (int)(row % plane), oh = rem / s.OW, ow = rem % s.OW;
            float* src = col + (long)r * kk + c0;
            int ih0 = oh * s.StrideH - s.PadTop, iw0 = ow * s.StrideW - s.PadLeft;
            for (int a = 0; a < s.KH; a++)
            {
                int ih = ih0 + a * s.DilationH;
                if ((uint)ih >= (uint)s.H) continue;
                float* drow = dx + ((long)n * s.H + ih) * s.W * s.C + g * cg + c0;
                for (int b = 0; b < s.KW; b++)
                {
                    int iw = iw0 + b * s.DilationW;
                    if ((uint)iw >= (uint)s.W) continue;
                    AddInPlace(drow + (long)iw * s.C, src + (a * s.KW + b) * cg, len);
                }
            }
        }
    }

    /// <summary>d += src over len floats, inline (a library call per short channel run cost more than the adds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInPlace(float* d, float* src, int len)
    {
        int k = 0, w = Vector<float>.Count;
        for (; k <= len - w; k += w)
            Unsafe.WriteUnaligned(d + k, Unsafe.ReadUnaligned<Vector<float>>(d + k) + Unsafe.ReadUnaligned<Vector<float>>(src + k));
        for (; k < len; k++) d[k] += src[k];
    }

    private sealed class PatchJob : IParallelJob
    {
        private float* _image, _col;
        private ConvSpec _s;
        private int _g, _rows;
        private long _r0;
        private bool _scatter;

        public void Set(float* image, float* col, in ConvSpec s, int g, long r0, int rows, bool scatter)
        {
            _image = image;
            _col = col;
            (_s, _g, _r0, _rows, _scatter) = (s, g, r0, rows, scatter);
        }

        public void Execute(int part, int parts)
        {
            if (_scatter)
            {
                int cg = _s.GroupChannels;
                Col2Im(_col, _image, _s, _g, _r0, 0, _rows, (int)((long)cg * part / parts), (int)((long)cg * (part + 1) / parts));
            }
            else Im2Col(_image, _col, _s, _g, _r0, (int)((long)_rows * part / parts), (int)((long)_rows * (part + 1) / parts));
        }
    }
}
