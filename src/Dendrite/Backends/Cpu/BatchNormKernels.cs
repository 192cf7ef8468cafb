using System.Numerics;
using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// BatchNormalization's passes over rows of C channels (channels-last data viewed as rows): per-channel sums in one pass
/// (the statistics: sums of d and d^2 for d = x - shift, shift being the first row; the gradient: sums of dy and of
/// dy (x - mean)), and the per-channel affine y = a x + e (+ g dy). Vectorised across channels with a scalar tail, rows
/// split over <see cref="WorkerPool"/> parts with per-part partials (float within blocks of 64 rows, double across
/// blocks and parts); reused job objects and per-thread buffers, so a call allocates nothing.
/// </summary>
internal static unsafe class BatchNormKernels
{
    private const int Block = 64;

    /// <summary>Channels up to which a part keeps its float accumulators on the stack.</summary>
    private const int StackChannels = 2048;

    [ThreadStatic] private static double[]? _partials;
    [ThreadStatic] private static float[]? _coefficients;

    /// <summary>A per-thread scratch of at least <paramref name="length"/> floats (the caller pins it).</summary>
    public static float[] Scratch(int length) => ThreadScratch.Get(ref _coefficients, length);

    /// <summary>
    /// Without <paramref name="b"/>: s1[k] = sum over rows of (a[r, k] - center[k]), s2[k] = the sum of its squares.
    /// With it: s1[k] = sum of b[r, k], s2[k] = sum of b[r, k] (a[r, k] - center[k]).
    /// </summary>
    public static void Sums(float* a, float* b, float* center, int rows, int c, double* s1, double* s2,
        float* act = null, float slope = 0f)
    {
        int parts = PartedLoop.Parts(rows, c);
        long need = 2L * parts * c;
        var partial = _partials is { } p && p.Length >= need ? p : _partials = new double[need];
        fixed (double* pp = partial)
        {
            var job = JobCache<SumJob>.TakeSpare() ?? new SumJob();
            job.Set(a, b, center, rows, c, pp, parts, act, slope);
            try
            {
                if (parts <= 1) job.Execute(0, 1);
                else WorkerPool.Run(job, parts);
            }
            finally { JobCache<SumJob>.Return(job); }
            for (int k = 0; k < c; k++)
            {
                double t1 = 0, t2 = 0;
                for (int q = 0; q < parts; q++)
                {
                    t1 += pp[(long)q * 2 * c + k];
                    t2 += pp[(long)q * 2 * c + c + k];
                }
                (s1[k], s2[k]) = (t1, t2);
            }
        }
    }

    /// <summary>y[r, k] = x[r, k] ax[k] + e[k] (+ dy[r, k] ady[k] when dy is given; the x term is skipped when x is null).</summary>
    public static void Affine(float* x, float* ax, float* e, float* dy, float* ady, float* y, int rows, int c,
        float* act = null, float slope = 0f, bool leaky = false)
    {
        int parts = PartedLoop.Parts(rows, c);
        var job = JobCache<AffineJob>.TakeSpare() ?? new AffineJob();
        job.Set(x, ax, e, dy, ady, y, rows, c, parts, act, slope, leaky);
        try
        {
            if (parts <= 1) job.Execute(0, 1);
            else WorkerPool.Run(job, parts);
        }
        finally { JobCache<AffineJob>.Return(job); }
    }

    private static (int Lo, int Hi) Range(int count, int part, int parts) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));

    private sealed class SumJob : IParallelJob
    {
        private float* _a, _b, _center, _act;
        private double* _partial;
        private int _rows, _c, _parts;
        private float _slope;

        public void Set(float* a, float* b, float* center, int rows, int c, double* partial, int parts, float* act, float slope)
        {
            _a = a;
            _b = b;
            _center = center;
            _partial = partial;
            _act = act;
            (_rows, _c, _parts, _slope) = (rows, c, parts, slope);
        }

        // The pool may run the whole job as fewer parts; the ranges follow the requested part count.
        public void Execute(int part, int parts)
        {
            var (lo, hi) = Range(_parts, part, parts);
            for (int q = lo; q < hi; q++) Part(q);
        }

        private void Part(int q)
        {
            int c = _c;
            var (lo, hi) = Range(_rows, q, _parts);
            double* d1 = _partial + (long)q * 2 * c, d2 = d1 + c;
            new Span<double>(d1, 2 * c).Clear();
            Span<float> accSpan = c <= StackChannels ? stackalloc float[2 * c] : new float[2 * c];
            fixed (float* acc = accSpan)
            {
                float* s1 = acc, s2 = acc + c;
                for (int r0 = lo; r0 < hi; r0 += Block)
                {
                    accSpan.Clear();
                    int r1 = Math.Min(hi, r0 + Block);
                    for (int r = r0; r < r1; r++)
                    {
                        float* x = _a + (long)r * c;
                        if (_b is null) AccumulateSquares(x, _center, s1, s2, c);
                        else if (_act is null) AccumulateProducts(x, _b + (long)r * c, _center, s1, s2, c);
                        else AccumulateLeakyProducts(x, _b + (long)r * c, _act + (long)r * c, _slope, _center, s1, s2, c);
                    }
                    for (int k = 0; k < c; k++)
                    {
                        d1[k] += s1[k];
                        d2[k] += s2[k];
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AccumulateSquares(float* x, float* center, float* s1, float* s2, int c)
        {
            int k = 0, w = Vector<float>.Count;
            for (; k <= c - w; k += w)
            {
                var d = Load(x + k) - Load(center + k);
                Store(s1 + k, Load(s1 + k) + d);
                Store(s2 + k, Load(s2 + k) + d * d);
            }
            for (; k < c; k++)
            {
                float d = x[k] - center[k];
                s1[k] += d;
                s2[k] += d * d;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AccumulateProducts(float* x, float* g, float* center, float* s1, float* s2, int c)
        {
            int k = 0, w = Vector<float>.Count;
            for (; k <= c - w; k += w)
            {
                var gv = Load(g + k);
                Store(s1 + k, Load(s1 + k) + gv);
                Store(s2 + k, Load(s2 + k) + gv * (Load(x + k) - Load(center + k)));
            }
            for (; k < c; k++)
            {
                s1[k] += g[k];
                s2[k] += g[k] * (x[k] - center[k]);
            }
        }
    }

    /// <summary>dz = dy where the activation's output is positive, else slope dy: LeakyReLU's gradient (slope >= 0) read
    /// from its output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> LeakyGrad(Vector<float> g, Vector<float> act, float slope) =>
        Vector.ConditionalSelect(Vector.GreaterThan(act, Vector<float>.Zero), g, g * slope);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float LeakyGrad(float g, float act, float slope) => act > 0f ? g : g * slope;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateLeakyProducts(float* x, float* dy, float* act, float slope, float* center, float* s1, float* s2, int c)
    {
        int k = 0, w = Vector<float>.Count;
        for (; k <= c - w; k += w)
        {
            var gv = LeakyGrad(Load(dy + k), Load(act + k), slope);
            Store(s1 + k, Load(s1 + k) + gv);
            Store(s2 + k, Load(s2 + k) + gv * (Load(x + k) - Load(center + k)));
        }
        for (; k < c; k++)
        {
            float g = LeakyGrad(dy[k], act[k], slope);
            s1[k] += g;
            s2[k] += g * (x[k] - center[k]);
        }
    }

    private sealed class AffineJob : IParallelJob
    {
        private float* _x, _ax, _e, _dy, _ady, _y, _act;
        private int _rows, _c, _parts;
        private float _slope;
        private bool _leaky;

        public void Set(float* x, float* ax, float* e, float* dy, float* ady, float* y, int rows, int c, int parts,
            float* act, float slope, bool leaky)
        {
            _x = x;
            _ax = ax;
            _e = e;
            _dy = dy;
            _ady = ady;
            _y = y;
            _act = act;
            (_rows, _c, _parts, _slope, _leaky) = (rows, c, parts, slope, leaky);
        }

        public void Execute(int part, int parts)
        {
            var (lo, hi) = Range(_parts, part, parts);
            for (int q = lo; q < hi; q++)
            {
                var (r0, r1) = Range(_rows, q, _parts);
                Rows(r0, r1);
            }
        }

        private void Rows(int r0, int r1)
        {
            int c = _c, w = Vector<float>.Count;
            for (int r = r0; r < r1; r++)
            {
                long o = (long)r * c;
                float* y = _y + o;
                int k = 0;
                if (_act is not null)
                {
                    // Backward through LeakyReLU (read from its output) and the normalization: y = x ax + e + dz ady.
                    float* g = _dy + o, a = _act + o, x = _x is null ? null : _x + o;
                    float slope = _slope;
                    // The same order of operations as the unfused passes, so the results are the same to the bit.
                    if (x is null)
                    {
                        for (; k <= c - w; k += w) Store(y + k, LeakyGrad(Load(g + k), Load(a + k), slope) * Load(_ady + k) + Load(_e + k));
                        for (; k < c; k++) y[k] = LeakyGrad(g[k], a[k], slope) * _ady[k] + _e[k];
                    }
                    else
                    {
                        for (; k <= c - w; k += w)
                            Store(y + k, Load(x + k) * Load(_ax + k) + Load(_e + k) + LeakyGrad(Load(g + k), Load(a + k), slope) * Load(_ady + k));
                        for (; k < c; k++) y[k] = x[k] * _ax[k] + _e[k] + LeakyGrad(g[k], a[k], slope) * _ady[k];
                    }
                }
                else if (_leaky)
                {
                    // The normalization then LeakyReLU: y = leaky(x ax + e).
                    float* x = _x + o;
                    var slope = new Vector<float>(_slope);
                    for (; k <= c - w; k += w)
                    {
                        var z = Load(x + k) * Load(_ax + k) + Load(_e + k);
                        Store(y + k, Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), z, z * slope));
                    }
                    for (; k < c; k++)
                    {
                        float z = x[k] * _ax[k] + _e[k];
                        y[k] = z > 0f ? z : z * _slope;
                    }
                }
                else if (_x is not null && _dy is not null)
                {
                    float* x = _x + o, g = _dy + o;
                    for (; k <= c - w; k += w)
                        Store(y + k, Load(x + k) * Load(_ax + k) + Load(_e + k) + Load(g + k) * Load(_ady + k));
                    for (; k < c; k++) y[k] = x[k] * _ax[k] + _e[k] + g[k] * _ady[k];
                }
                else if (_x is not null)
                {
                    float* x = _x + o;
                    for (; k <= c - w; k += w) Store(y + k, Load(x + k) * Load(_ax + k) + Load(_e + k));
                    for (; k < c; k++) y[k] = x[k] * _ax[k] + _e[k];
                }
                else
                {
                    float* g = _dy + o;
                    for (; k <= c - w; k += w) Store(y + k, Load(g + k) * Load(_ady + k) + Load(_e + k));
                    for (; k < c; k++) y[k] = g[k] * _ady[k] + _e[k];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(float* p) => Unsafe.ReadUnaligned<Vector<float>>(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* p, Vector<float> v) => Unsafe.WriteUnaligned(p, v);
}
