using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite;

/// <summary>
/// A small, fast, seedable pseudo-random generator (xoshiro256**, seeded through SplitMix64):
/// the same seed gives the same numbers on every platform and .NET version.
/// </summary>
public sealed class RandomGenerator
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    /// <summary>Creates a generator from a seed.</summary>
    public RandomGenerator(long seed)
    {
        ulong x = (ulong)seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() => Step(ref _s0, ref _s1, ref _s2, ref _s3);

    /// <summary>One xoshiro256** step on the state (s0, s1, s2, s3): its output, the state moved on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Step(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A float in [0, 1).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>
    /// m[i] = <paramref name="value"/> where the i-th next <see cref="NextFloat"/> is below <paramref name="keep"/>, else 0
    /// (a dropout mask): the same draws, in the same order, as a loop over NextFloat, with the state in registers for the
    /// loop instead of the object's fields. Sixteen draws at a time go through a buffer and are converted, compared and
    /// selected as one vector: the per-element branch on a random outcome (a dropout rate's share of mispredictions) made
    /// the scalar loop 4.2 ns an element, 69 us for a 64x256 mask (11% of W7's step).
    /// </summary>
    /// <remarks>From 2,048 values on, with AVX-512, the first 16 n draws (n a multiple of 16) are drawn as 16 stretches
    /// of n side by side, each lane starting where the stream will be after k n draws (<see cref="XoshiroJump"/>): the
    /// same values as the loop: W7's 64x256 mask 20-32 -> 15 us alone (eight draws a vector step cost ~13 vector
    /// operations on Zen 4), and W7's training step took 0.90-0.94 of its time (blocks of steps alternating).</remarks>
    internal unsafe void FillBernoulli(Span<float> m, float keep, float value)
    {
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        int i = 0, n = m.Length / XoshiroJump.Lanes / 16 * 16;   // each lane's stretch, whole 16x16 blocks
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated && n >= MinStretch && XoshiroJump.LaneTable(n) is { } table)
        {
            fixed (float* pm = m) FillStretches(pm, n, table, keep, value, ref s0, ref s1, ref s2, ref s3);
            i = n * XoshiroJump.Lanes;
        }
        if (Vector512.IsHardwareAccelerated && m.Length - i >= 16)
        {
            int* draws = stackalloc int[16];
            Vector512<float> vkeep = Vector512.Create(keep), vvalue = Vector512.Create(value), unit = Vector512.Create(1f / (1 << 24));
            fixed (float* pm = m)
                for (; i + 16 <= m.Length; i += 16)
                {
                    for (int j = 0; j < 16; j++) draws[j] = (int)(Step(ref s0, ref s1, ref s2, ref s3) >> 40);
                    // 24-bit integers: exact as floats, and times 2^-24 exact, as NextFloat computes them.
                    var u = Vector512.ConvertToSingle(Vector512.Load(draws)) * unit;
                    Vector512.BitwiseAnd(vvalue, Vector512.LessThan(u, vkeep)).Store(pm + i);
                }
        }
        for (; i < m.Length; i++)
            m[i] = (Step(ref s0, ref s1, ref s2, ref s3) >> 40) * (1f / (1 << 24)) < keep ? value : 0f;
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>The shortest stretch a lane of <see cref="FillBernoulli"/> takes (the lanes' start states cost about as
    /// much as 2k draws).</summary>
    private const int MinStretch = 128;

    /// <summary>
    /// m[k n + j] for the 16 lanes k and j below <paramref name="n"/>: lane k starts at T^(k n) s (the XOR of T^i s over
    /// the i whose <paramref name="table"/> entry has bit k), the 16 states step as two vectors of 8, each step's 16
    /// draws become one row of a 16x16 block that is transposed into the lanes' stretches. The state is left where the
    /// last lane ends, after 16 n draws.
    /// </summary>
    private static unsafe void FillStretches(float* m, int n, ushort[] table, float keep, float value, ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        const int lanes = XoshiroJump.Lanes;
        ulong* st = stackalloc ulong[4 * lanes];   // word w of lane k at st[w * 16 + k]
        new Span<ulong>(st, 4 * lanes).Clear();
        ulong a0 = s0, a1 = s1, a2 = s2, a3 = s3;
        for (int i = 0; i < 256; i++)
        {
            for (uint bits = table[i]; bits != 0; bits &= bits - 1)
            {
                int k = System.Numerics.BitOperations.TrailingZeroCount(bits);
                st[k] ^= a0; st[lanes + k] ^= a1; st[2 * lanes + k] ^= a2; st[3 * lanes + k] ^= a3;
            }
            Step(ref a0, ref a1, ref a2, ref a3);
        }
        (st[0], st[lanes], st[2 * lanes], st[3 * lanes]) = (s0, s1, s2, s3);
        Vector512<ulong> x0 = Vector512.Load(st), x1 = Vector512.Load(st + lanes), x2 = Vector512.Load(st + 2 * lanes), x3 = Vector512.Load(st + 3 * lanes);
        Vector512<ulong> y0 = Vector512.Load(st + 8), y1 = Vector512.Load(st + lanes + 8), y2 = Vector512.Load(st + 2 * lanes + 8), y3 = Vector512.Load(st + 3 * lanes + 8);
        Vector512<float> vkeep = Vector512.Create(keep), vvalue = Vector512.Create(value), unit = Vector512.Create(1f / (1 << 24));
        float* rows = stackalloc float[16 * lanes];
        for (int j0 = 0; j0 < n; j0 += 16)
        {
            for (int j = 0; j < 16; j++)
            {
                var lo = Avx512F.ConvertToVector256Int32(StepLanes(ref x0, ref x1, ref x2, ref x3).AsInt64());
                var hi = Avx512F.ConvertToVector256Int32(StepLanes(ref y0, ref y1, ref y2, ref y3).AsInt64());
                // 24-bit integers: exact as floats, and times 2^-24 exact, as NextFloat computes them.
                var u = Vector512.ConvertToSingle(Vector512.Create(lo, hi)) * unit;
                Vector512.BitwiseAnd(vvalue, Vector512.LessThan(u, vkeep)).Store(rows + j * lanes);
            }
            Backends.Cpu.Gemm.Transpose16x16(rows, lanes, m + j0, n);
        }
        (s0, s1, s2, s3) = (y0.GetElement(7), y1.GetElement(7), y2.GetElement(7), y3.GetElement(7));
    }

    /// <summary><see cref="Step"/> on 8 states at once (words w0..w3 of each lane), returning each output's top 24 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> StepLanes(ref Vector512<ulong> w0, ref Vector512<ulong> w1, ref Vector512<ulong> w2, ref Vector512<ulong> w3)
    {
        var r = Avx512F.RotateLeft((w1 << 2) + w1, 7);   // rotl(s1 * 5, 7)
        r = (r << 3) + r;                                 // * 9
        var t = w1 << 17;
        w2 ^= w0; w3 ^= w1; w1 ^= w2; w0 ^= w3; w2 ^= t;
        w3 = Avx512F.RotateLeft(w3, 45);
        return r >> 40;
    }

    /// <summary>An integer in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)((NextUInt64() >> 32) * (ulong)maxExclusive >> 32);
    }

    /// <summary>A standard normal sample (Box-Muller).</summary>
    public double NextNormal()
    {
        if (_spareNormal is double s) { _spareNormal = null; return s; }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
