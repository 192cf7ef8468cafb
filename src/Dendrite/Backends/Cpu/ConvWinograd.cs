using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// 3x3 stride-1 convolutions by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, 2015): each 2x2 block of
/// output pixels is computed from the 4x4 input tile under it as Y = A^T [(G g G^T) ⊙ (B^T d B)] A, so the 36
/// multiply-adds per channel and filter of a direct 2x2 block become 16, and the products are 16 independent matrix
/// products (tiles x channels times channels x filters) on the direct kernel's register tiles. The kernel is transformed
/// once per call (16 c f floats); each image is copied once into a zero-padded buffer (as <see cref="ConvDirect"/>) and
/// transformed a band of tile rows at a time, so the transformed tiles and products stay in a core's L2. The output
/// transform applies the <see cref="Epilogue"/> (bias, ReLU/LeakyReLU) before its stores. The results differ from a
/// direct sum in the last bits only (the transforms' coefficients are 0, ±1 and ±1/2). Parts of <see cref="WorkerPool"/>
/// claim whole images.
/// </summary>
internal static unsafe class ConvWinograd
{
    /// <summary>Floats of transformed tiles and products a band keeps (about 1 MB): each transformed kernel is read once
    /// per band, so wide layers need bands of many tiles (256 -> 256 on 14x14: 7 tiles at 384 KB ran at 0.52-0.55x of
    /// the other paths, 28 tiles at 1 MB at 1.03-1.74x).</summary>
    private const int BandFloats = 256 * 1024;

    [ThreadStatic] private static AlignedBuffer? _padded, _tiles, _products, _kernel;
    [ThreadStatic] private static int[]? _offsets;
    [ThreadStatic] private static bool _disabled;

    /// <summary>Off on this thread: such convolutions take the direct or im2col path (a switch for tests and measurements).</summary>
    internal static bool Enabled { get => !_disabled; set => _disabled = !value; }

    /// <summary>
    /// Whether a forward convolution takes this path: 3x3, stride 1, no dilation, groups 1, at least 32 channels (the
    /// products' depth), filters a multiple of 32 (the register tiles' width), and channels x filters up to 65,536 (each
    /// of the 16 transformed kernels, up to 256 KB, is read once per band of an image's tiles). Measured against the
    /// other paths (2 threads, medians of 9, three runs each; `Ops.Conv`, "same"): 32 -> 64 on 16x16 1.59-1.81x faster,
    /// 64 -> 64 on 32x32 1.45-1.77x and on 56x56 1.75-2.44x, 128 -> 128 on 16x16 1.33-1.52x and on 28x28 1.63-1.99x,
    /// 256 -> 256 on 14x14 1.03-1.74x and on 8x8 1.26-2.03x; 512 -> 512 on 14x14 0.63-1.00x, so not those.
    /// </summary>
    public static bool Applies(in ConvSpec s) =>
        Enabled && Gemm.KernelBits == 512 && Avx512F.IsSupported && s.Groups == 1 && s.KH == 3 && s.KW == 3
        && s.StrideH == 1 && s.StrideW == 1 && s.DilationH == 1 && s.DilationW == 1 && s.PadTop >= 0 && s.PadLeft >= 0
        && s.C >= 32 && s.C % 16 == 0 && s.F % 32 == 0 && (long)s.C * s.F <= MaxChannelProduct
        && s.OH > 0 && s.OW > 0 && (long)s.N * s.OH * s.OW <= int.MaxValue;

    /// <summary>The largest channels x filters that takes this path (see <see cref="Applies"/>).</summary>
    private const long MaxChannelProduct = 256 * 256;

    /// <summary>y = activation(conv(x, k) + bias) (a default epilogue: the plain convolution).</summary>
    public static void Forward(float* x, float* k, float* y, in ConvSpec s, in Epilogue e = default)
    {
        float* u = (_kernel ??= new AlignedBuffer()).Get(16L * s.C * s.F);
        TransformKernel(k, u, s.C, s.F);
        var job = JobCache<Job>.TakeSpare() ?? new Job();
        job.Set(x, u, y, s, e);
        try { ConvDirect.RunOverImages(job, (long)s.N * s.OH * s.OW * 9 * s.C * s.F, s.N); }
        finally { JobCache<Job>.Return(job); }
    }

    /// <summary>u[xi][c][f] = (G g G^T)[xi] for each channel c and filter f of k (3, 3, c, f), G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1].</summary>
    internal static void TransformKernel(float* k, float* u, int c, int f)
    {
        long plane = (long)c * f;
        var half = Vector512.Create(0.5f);
        var t = stackalloc Vector512<float>[12];
        for (long i = 0; i < plane; i += 16)
        {
            // g[a][b] for 16 consecutive (c, f) pairs; rows first (G g), then columns ((G g) G^T).
            for (int b = 0; b < 3; b++)
            {
                var g0 = Vector512.Load(k + (0 * 3 + b) * plane + i);
                var g1 = Vector512.Load(k + (1 * 3 + b) * plane + i);
                var g2 = Vector512.Load(k + (2 * 3 + b) * plane + i);
                t[0 * 3 + b] = g0;
                t[1 * 3 + b] = (g0 + g1 + g2) * half;
                t[2 * 3 + b] = (g0 - g1 + g2) * half;
                t[3 * 3 + b] = g2;
            }
            for (int a = 0; a < 4; a++)
            {
                var (r0, r1, r2) = (t[a * 3], t[a * 3 + 1], t[a * 3 + 2]);
                (r0).Store(u + (a * 4 + 0) * plane + i);
                ((r0 + r1 + r2) * half).Store(u + (a * 4 + 1) * plane + i);
                ((r0 - r1 + r2) * half).Store(u + (a * 4 + 2) * plane + i);
                (r2).Store(u + (a * 4 + 3) * plane + i);
            }
        }
    }

    private sealed class Job : IParallelJob
    {
        private int _next;
        private float* _x, _u, _y;
        private ConvSpec _s;
        private Epilogue _epilogue;

        public void Set(float* x, float* u, float* y, in ConvSpec s, in Epilogue e)
        {
            _x = x;
            _u = u;
            _y = y;
            (_s, _epilogue) = (s, e);
            _next = 0;
        }

        public void Execute(int part, int parts)
        {
            int n = Interlocked.Increment(ref _next) - 1;
            if (n >= _s.N) return;
            ref readonly ConvSpec s = ref _s;
            int th = (s.OH + 1) / 2, tw = (s.OW + 1) / 2, hp = 2 * th + 2, wp = 2 * tw + 2;
            int band = Math.Clamp(BandFloats / (16 * tw * (s.C + s.F)), 1, th);
            float* xp = (_padded ??= new AlignedBuffer()).Get((long)hp * wp * s.C + 16);
            float* v = (_tiles ??= new AlignedBuffer()).Get(16L * band * tw * s.C);
            float* m = (_products ??= new AlignedBuffer()).Get(16L * band * tw * s.F);
            var offsets = _offsets is { } o && o.Length >= s.C ? o : _offsets = new int[Math.Max(64, s.C)];
            for (int t = 0; t < s.C; t++) offsets[t] = t;
            fixed (int* off = offsets)
            {
                for (; n < s.N; n = Interlocked.Increment(ref _next) - 1)
                {
                    ConvDirect.Pad(_x, xp, s, n, hp, wp);
                    float* yn = _y + (long)n * s.OH * s.OW * s.F;
                    for (int r0 = 0; r0 < th; r0 += band)
                    {
                        int rows = Math.Min(band, th - r0), tiles = rows * tw;
                        InputTransform(xp, wp, s.C, r0, rows, tw, v);
                        for (int xi = 0; xi < 16; xi++)
                            Products(v + (long)xi * tiles * s.C, off, s.C, tiles, _u + (long)xi * s.C * s.F, s.F, m + (long)xi * tiles * s.F);
                        OutputTransform(m, tiles, r0, rows, tw, yn, s, _epilogue);
                    }
                }
            }
        }
    }

    /// <summary>v[xi][tile][c] = (B^T d B)[xi] for the band's tiles, d the 4x4 input tile at padded (2 row, 2 col),
    /// B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].</summary>
    private static void InputTransform(float* xp, int wp, int c, int r0, int rows, int tw, float* v)
    {
        long tiles = (long)rows * tw, plane = tiles * c, rowLength = (long)wp * c;
        for (int r = 0; r < rows; r++)
        for (int j = 0; j < tw; j++)
        {
            float* d = xp + (2L * (r0 + r)) * rowLength + 2L * j * c;
            float* dst = v + ((long)r * tw + j) * c;
            for (int ci = 0; ci < c; ci += 16)
            {
                float* p = d + ci;
                // Columns first: t[i][b] = (B^T d)[i][b] for b = 0..3.
                Vector512<float> t00, t01, t02, t03, t10, t11, t12, t13, t20, t21, t22, t23, t30, t31, t32, t33;
                {
                    var d0 = Vector512.Load(p); var d1 = Vector512.Load(p + rowLength);
                    var d2 = Vector512.Load(p + 2 * rowLength); var d3 = Vector512.Load(p + 3 * rowLength);
                    (t00, t10, t20, t30) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
                    p += c;
                    d0 = Vector512.Load(p); d1 = Vector512.Load(p + rowLength); d2 = Vector512.Load(p + 2 * rowLength); d3 = Vector512.Load(p + 3 * rowLength);
                    (t01, t11, t21, t31) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
                    p += c;
                    d0 = Vector512.Load(p); d1 = Vector512.Load(p + rowLength); d2 = Vector512.Load(p + 2 * rowLength); d3 = Vector512.Load(p + 3 * rowLength);
                    (t02, t12, t22, t32) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
                    p += c;
                    d0 = Vector512.Load(p); d1 = Vector512.Load(p + rowLength); d2 = Vector512.Load(p + 2 * rowLength); d3 = Vector512.Load(p + 3 * rowLength);
                    (t03, t13, t23, t33) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
                }
                float* q = dst + ci;
                Row(t00, t01, t02, t03, q, plane); q += 4 * plane;
                Row(t10, t11, t12, t13, q, plane); q += 4 * plane;
                Row(t20, t21, t22, t23, q, plane); q += 4 * plane;
                Row(t30, t31, t32, t33, q, plane);
            }
        }
    }

    /// <summary>The row transform (t B) of one row, stored at xi = 4 i + 0..3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(Vector512<float> t0, Vector512<float> t1, Vector512<float> t2, Vector512<float> t3, float* q, long plane)
    {
        (t0 - t2).Store(q);
        (t1 + t2).Store(q + plane);
        (t2 - t1).Store(q + 2 * plane);
        (t1 - t3).Store(q + 3 * plane);
    }

    /// <summary>m[tile][0..f) = sum over c of v[tile][c] u[c][0..f): one of the 16 products, on the direct kernel's tiles.</summary>
    private static void Products(float* v, int* off, int c, int tiles, float* u, int f, float* m)
    {
        int j = 0;
        if (f % 64 == 0)
            for (; j + 4 <= tiles; j += 4)
                for (int fb = 0; fb < f; fb += 64) ConvDirect.Tile4x64(v + (long)j * c, off, c, c, u + fb, f, m + (long)j * f + fb, f);
        for (; j + ConvDirect.PixelTile <= tiles; j += ConvDirect.PixelTile)
            for (int fb = 0; fb < f; fb += 32) ConvDirect.Tile8x32(v + (long)j * c, off, c, c, u + fb, f, m + (long)j * f + fb, f);
        if (j < tiles)
            for (int fb = 0; fb < f; fb += 16) ConvDirect.Pixels16(v + (long)j * c, off, c, c, u + fb, f, m + (long)j * f + fb, f, tiles - j);
    }

    /// <summary>y's 2x2 blocks = A^T m A (A^T = [1 1 1 0; 0 1 -1 -1]) through the epilogue, the blocks' pixels past the
    /// output's edge left out.</summary>
    private static void OutputTransform(float* m, int tiles, int r0, int rows, int tw, float* y, in ConvSpec s, in Epilogue e)
    {
        int f = s.F;
        long plane = (long)tiles * f;
        for (int r = 0; r < rows; r++)
        for (int j = 0; j < tw; j++)
        {
            int oh = 2 * (r0 + r), ow = 2 * j;
            bool down = oh + 1 < s.OH, right = ow + 1 < s.OW;
            float* src = m + ((long)r * tw + j) * f;
            float* y00 = y + ((long)oh * s.OW + ow) * f;
            for (int fb = 0; fb < f; fb += 16)
            {
                float* p = src + fb;
                // Rows of A^T m: s0[b] = m0b + m1b + m2b, s1[b] = m1b - m2b - m3b.
                Vector512<float> s00, s01, s02, s03, s10, s11, s12, s13;
                {
                    var m0 = Vector512.Load(p); var m1 = Vector512.Load(p + 4 * plane);
                    var m2 = Vector512.Load(p + 8 * plane); var m3 = Vector512.Load(p + 12 * plane);
                    (s00, s10) = (m0 + m1 + m2, m1 - m2 - m3);
                    p += plane;
                    m0 = Vector512.Load(p); m1 = Vector512.Load(p + 4 * plane); m2 = Vector512.Load(p + 8 * plane); m3 = Vector512.Load(p + 12 * plane);
                    (s01, s11) = (m0 + m1 + m2, m1 - m2 - m3);
                    p += plane;
                    m0 = Vector512.Load(p); m1 = Vector512.Load(p + 4 * plane); m2 = Vector512.Load(p + 8 * plane); m3 = Vector512.Load(p + 12 * plane);
                    (s02, s12) = (m0 + m1 + m2, m1 - m2 - m3);
                    p += plane;
                    m0 = Vector512.Load(p); m1 = Vector512.Load(p + 4 * plane); m2 = Vector512.Load(p + 8 * plane); m3 = Vector512.Load(p + 12 * plane);
                    (s03, s13) = (m0 + m1 + m2, m1 - m2 - m3);
                }
                var bias = e.Bias(fb);
                e.Apply(s00 + s01 + s02, bias).Store(y00 + fb);
                if (right) e.Apply(s01 - s02 - s03, bias).Store(y00 + f + fb);
                if (down)
                {
                    float* y10 = y00 + (long)s.OW * f;
                    e.Apply(s10 + s11 + s12, bias).Store(y10 + fb);
                    if (right) e.Apply(s11 - s12 - s13, bias).Store(y10 + f + fb);
                }
            }
        }
    }
}
