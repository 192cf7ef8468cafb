using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Dendrite.Backends.Cpu;

namespace Dendrite.Optimizers;

/// <summary>
/// One-pass optimizer updates (read w, g and the slots once, write them once), Vector512 / Vector256 with a scalar
/// tail, split across the worker threads for large tensors. The formulas are the optimizers' own (see each class).
/// </summary>
internal static partial class FusedUpdates
{
    /// <summary>
    /// Updates of this many values (64 KB) and more are split between the threads. With 32k, W7's 784x32 kernel (25,088
    /// values) was updated on one thread; timed inside its training step (the two ways alternating call by call in one
    /// process, 628 calls each, three processes), Adam over it took 12.6-14.3 us on one thread against 8.4-9.4 split; W1's
    /// steps (its 200x150 kernel, 30,000 values, split now) ran at 0.94-0.97 of their time with the 32k threshold.
    /// </summary>
    private const int ParallelMin = 1 << 14;

    /// <summary>The smallest normal float: Adam's m and v below it are stored as zero.</summary>
    private const float MinNormal = 1.17549435e-38f;

    /// <summary>The smallest |g| whose square is a normal float (the square root of <see cref="MinNormal"/>, rounded up):
    /// a smaller gradient adds nothing to v.</summary>
    private const float SquareMin = 1.0842022e-19f;

    /// <summary>The smallest |x| kept where x is next multiplied by <paramref name="factor"/>: below it the product would
    /// be subnormal (see <see cref="Adam"/>). Factors below 1e-8 count as 1e-8, so no value above ~1.2e-30 is dropped
    /// (a product with a tinier factor may still be subnormal: slower, never wrong).</summary>
    internal static float Threshold(float factor) => MinNormal / Math.Max(factor, 1e-8f);

    /// <summary>x, or zero when |x| is below <paramref name="threshold"/> (the scalar optimizers' stores).</summary>
    internal static float Keep(float x, float threshold) => MathF.Abs(x) >= threshold ? x : 0f;

    /// <summary>g when g^2 is a normal float, else zero.</summary>
    internal static float SquarableOrZero(float g) => MathF.Abs(g) >= SquareMin ? g : 0f;

    /// <summary>
    /// Adam: m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); w -= alpha m / (sqrt(v) + eps) (v = max(vMax, v) under
    /// AMSGrad), with subnormal values flushed to zero: g^2 below the smallest normal float, and m and v as stored.
    /// TensorFlow runs its CPU kernels with denormals flushed to zero (ScopedFlushDenormal), so Keras's m and v never
    /// hold them; here they did: a unit whose gradient is zero (a dead ReLU) has m shrink by b1 each step into the
    /// subnormal range, where it stays (0.1 m rounds to zero there), and arithmetic on subnormals is several times slower.
    /// W1 (random labels, most of its first layer dead after an epoch): 540-630k of its 1.29M slot values were subnormal
    /// from the second epoch on, and training ran at 51-54k samples/s against 68k in the first epoch; flushed, 61-68k.
    /// A product with a subnormal result is as slow, so m is stored as zero already where (1 - b1) m or alpha m would be
    /// subnormal (|m| below 1.2e-38 / min(1 - b1, alpha)) and v where (1 - b2) v would (below 1.2e-35): storing only
    /// subnormal values as zero left a dead unit's m tens of steps in the range where alpha m is subnormal, and W2's
    /// update ran at 0.6-0.7 ns per element in the step against 0.19 (2026-12-03; W2 over 16 epochs 121k samples/s
    /// against 177k). Two compares, as before. The zeroed values change w by less than 1.2e-38 / eps per step and a later
    /// step's m or v by less than their last bit.
    /// </summary>
    public static void Adam(float[] w, float[] g, int length, float[] m, float[] v, float[]? vMax, float alpha, float b1, float b2, float eps) =>
        Run(new AdamKernel(w, g, m, v, vMax, alpha, b1, b2, eps), length);

    /// <summary>SGD: w -= lr g, or with momentum m = mu m - lr g; w += m (Nesterov: w += mu m - lr g), m stored as zero
    /// where mu m would be subnormal (as <see cref="Adam"/>: a dead unit's m shrank by mu each step down to the smallest
    /// subnormal, where rounding kept it for good).</summary>
    public static void Sgd(float[] w, float[] g, int length, float[]? m, float lr, float mu, bool nesterov) =>
        Run(new SgdKernel(w, g, m, lr, mu, nesterov), length);

    private static void Run<T>(T kernel, int length) where T : struct, IRangeKernel
    {
        if (length < ParallelMin || Settings.Threads < 2) { kernel.Apply(0, length); return; }
        var job = JobCache<RangeJob<T>>.TakeSpare() ?? new RangeJob<T>();
        job.Kernel = kernel;
        job.Length = length;
        try { WorkerPool.Run(job, Settings.Threads); }
        finally
        {
            job.Kernel = default;   // do not keep the arrays alive
            JobCache<RangeJob<T>>.Return(job);
        }
    }

    private interface IRangeKernel
    {
        void Apply(int start, int end);
    }

    /// <summary>Splits a kernel's range across the workers; instances are reused (no allocation per update).</summary>
    private sealed class RangeJob<T> : IParallelJob where T : struct, IRangeKernel
    {
        public T Kernel;
        public int Length;

        public void Execute(int part, int parts)
        {
            int chunk = (Length / parts + 15) & ~15;
            int start = Math.Min(Length, part * chunk), end = part == parts - 1 ? Length : Math.Min(Length, start + chunk);
            Kernel.Apply(start, end);
        }
    }

    private readonly struct AdamKernel(float[] w, float[] g, float[] m, float[] v, float[]? vMax, float alpha, float b1, float b2, float eps) : IRangeKernel
    {
        /// <summary>The smallest |m| kept: below it (1 - b1) m or alpha m would be subnormal (alpha counted from 1e-8 up:
        /// a smaller rate, such as a warm-up's first step from zero, does not wipe m).</summary>
        private float MThreshold => Math.Max(Threshold(1 - b1), Threshold(alpha));

        /// <summary>The smallest v kept: below it (1 - b2) v would be subnormal.</summary>
        private float VThreshold => Threshold(1 - b2);

        public unsafe void Apply(int start, int end)
        {
            float tms = MThreshold, tvs = VThreshold;
            fixed (float* pw = w, pg = g, pm = m, pv = v, px = vMax)
            {
                int i = start;
                if (Vector512.IsHardwareAccelerated)
                {
                    Vector512<float> c1 = Vector512.Create(1 - b1), c2 = Vector512.Create(1 - b2), va = Vector512.Create(alpha), ve = Vector512.Create(eps);
                    Vector512<float> tm = Vector512.Create(tms), tv = Vector512.Create(tvs), tinyRoot = Vector512.Create(SquareMin);
                    for (; i + 16 <= end; i += 16)
                    {
                        var gi = Vector512.Load(pg + i);
                        var mi = Vector512.Load(pm + i);
                        var vi = Vector512.Load(pv + i);
                        // ConditionalSelect with zero (a masked move) rather than BitwiseAnd with the compare: the same
                        // values, without turning each mask register into a vector first (Adam over 8,192 values in L2,
                        // Zen 4: 0.28-0.33 against 0.32-0.35 ns a value).
                        var gs = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Abs(gi), tinyRoot), gi, Vector512<float>.Zero);
                        mi += (gi - mi) * c1;
                        vi += (gs * gs - vi) * c2;
                        mi = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Abs(mi), tm), mi, Vector512<float>.Zero);
                        vi = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(vi, tv), vi, Vector512<float>.Zero);
                        mi.Store(pm + i);
                        vi.Store(pv + i);
                        if (px != null) { vi = Vector512.Max(Vector512.Load(px + i), vi); vi.Store(px + i); }
                        (Vector512.Load(pw + i) - va * mi / (Vector512.Sqrt(vi) + ve)).Store(pw + i);
                    }
                }
                else if (Vector256.IsHardwareAccelerated)
                {
                    Vector256<float> c1 = Vector256.Create(1 - b1), c2 = Vector256.Create(1 - b2), va = Vector256.Create(alpha), ve = Vector256.Create(eps);
                    Vector256<float> tm = Vector256.Create(tms), tv = Vector256.Create(tvs), tinyRoot = Vector256.Create(SquareMin);
                    for (; i + 8 <= end; i += 8)
                    {
                        var gi = Vector256.Load(pg + i);
                        var mi = Vector256.Load(pm + i);
                        var vi = Vector256.Load(pv + i);
                        var gs = Vector256.BitwiseAnd(gi, Vector256.GreaterThanOrEqual(Vector256.Abs(gi), tinyRoot));
                        mi += (gi - mi) * c1;
                        vi += (gs * gs - vi) * c2;
                        mi = Vector256.BitwiseAnd(mi, Vector256.GreaterThanOrEqual(Vector256.Abs(mi), tm));
                        vi = Vector256.BitwiseAnd(vi, Vector256.GreaterThanOrEqual(vi, tv));
                        mi.Store(pm + i);
                        vi.Store(pv + i);
                        if (px != null) { vi = Vector256.Max(Vector256.Load(px + i), vi); vi.Store(px + i); }
                        (Vector256.Load(pw + i) - va * mi / (Vector256.Sqrt(vi) + ve)).Store(pw + i);
                    }
                }
                for (; i < end; i++)
                {
                    float gi = pg[i], gs = SquarableOrZero(gi);
                    float mi = pm[i] + (gi - pm[i]) * (1 - b1), vn = pv[i] + (gs * gs - pv[i]) * (1 - b2);
                    pm[i] = Keep(mi, tms);
                    pv[i] = Keep(vn, tvs);
                    float vi = pv[i];
                    if (px != null) vi = px[i] = MathF.Max(px[i], vi);
                    pw[i] -= alpha * pm[i] / (MathF.Sqrt(vi) + eps);
                }
            }
        }
    }

    private readonly struct SgdKernel(float[] w, float[] g, float[]? m, float lr, float mu, bool nesterov) : IRangeKernel
    {
        /// <summary>The smallest |m| kept: below it mu m would be subnormal (see <see cref="Adam"/>).</summary>
        private float MThreshold => Threshold(mu);

        public unsafe void Apply(int start, int end)
        {
            float tms = MThreshold;
            fixed (float* pw = w, pg = g, pm = m)
            {
                int i = start;
                if (Vector512.IsHardwareAccelerated)
                {
                    Vector512<float> vlr = Vector512.Create(lr), vmu = Vector512.Create(mu);
                    if (pm == null)
                        for (; i + 16 <= end; i += 16) (Vector512.Load(pw + i) - vlr * Vector512.Load(pg + i)).Store(pw + i);
                    else
                    {
                        var tm = Vector512.Create(tms);
                        for (; i + 16 <= end; i += 16)
                        {
                            var gi = Vector512.Load(pg + i);
                            var mi = vmu * Vector512.Load(pm + i) - vlr * gi;
                            mi = Vector512.BitwiseAnd(mi, Vector512.GreaterThanOrEqual(Vector512.Abs(mi), tm));
                            mi.Store(pm + i);
                            (Vector512.Load(pw + i) + (nesterov ? vmu * mi - vlr * gi : mi)).Store(pw + i);
                        }
                    }
                }
                for (; i < end; i++)
                {
                    if (pm == null) { pw[i] -= lr * pg[i]; continue; }
                    float mi = mu * pm[i] - lr * pg[i];
                    pm[i] = mi = Keep(mi, tms);
                    pw[i] += nesterov ? mu * mi - lr * pg[i] : mi;
                }
            }
        }
    }
}
