using Dendrite.Backends.Cpu.Kernels;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Backends;

/// <summary>The non-generic loops of the training step (<see cref="SpanMath"/>) against float64 references, at every
/// length around the vector widths (tails included).</summary>
public class SpanMathTests
{
    public static TheoryData<int> Lengths()
    {
        var d = new TheoryData<int>();
        foreach (int n in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 640, 1023, 1024, 1025, 5000 }) d.Add(n);
        return d;
    }

    private static float[] Data(int n, int seed, float lo, float hi) => Tensor.RandomUniform([n], lo, hi, seed: seed).ToArray();

    [Theory, MemberData(nameof(Lengths))]
    public void Exp_matches_the_float64_exp_and_does_not_depend_on_a_values_position(int n)
    {
        var x = Data(n, 1, -30f, 10f);
        var y = new float[n];
        SpanMath.Exp(x, y);
        var expected = x.Select(v => (float)Math.Exp(v)).ToArray();
        TensorAssert.Close(expected, y, atol: 0f, rtol: 2e-7f, what: $"exp n={n}");
        // In place, and each value the same as when it sits at the start of a whole vector.
        var inPlace = (float[])x.Clone();
        SpanMath.Exp(inPlace, inPlace);
        Assert.Equal(y, inPlace);
        for (int i = 0; i < n; i++)
        {
            var one = new float[16];
            SpanMath.Exp(new[] { x[i] }, one);
            Assert.Equal(y[i], one[0]);
        }
        Assert.Throws<ArgumentException>(() => SpanMath.Exp(new float[n + 1], new float[n]));
    }

    [Fact]
    public void Exp_is_the_runtimes_vector_exp_bit_for_bit_and_within_two_ulps_of_the_float64_exp()
    {
        // Arguments from below the smallest subnormal result to past the largest finite one, plus the special values:
        // the same bits as TensorPrimitives.Exp (the runtime's vector exp, which the training step used before), and at
        // most two ulps from the float64 exp rounded to float (the runtime's polynomial is 2 ulps off near 1e-38).
        const int n = 400_000;
        var x = new float[n + 16];
        for (int i = 0; i < n; i++) x[i] = -110f + 200f * i / (n - 1);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 88.72284f, 88.72285f, -103.97208f, -103.9721f, 87f, -87f, 1e-30f, -1e-30f, 89f, -104f, 200f];
        specials.CopyTo(x, n);
        var y = new float[x.Length];
        SpanMath.Exp(x, y);
        var expected = new float[x.Length];
        System.Numerics.Tensors.TensorPrimitives.Exp(x, expected);
        for (int i = 0; i < x.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(y[i]) == BitConverter.SingleToInt32Bits(expected[i]) || (float.IsNaN(y[i]) && float.IsNaN(expected[i])),
                $"exp({x[i]:R}) = {y[i]:R}, the runtime's {expected[i]:R}");
        int worst = 0, at = 0;
        for (int i = 0; i < n; i++)
        {
            int ulps = Math.Abs(BitConverter.SingleToInt32Bits(y[i]) - BitConverter.SingleToInt32Bits((float)Math.Exp(x[i])));
            if (ulps > worst) (worst, at) = (ulps, i);
        }
        Assert.True(worst <= 2, $"exp({x[at]:R}) = {y[at]:R}, float64 {(float)Math.Exp(x[at]):R}: {worst} ulps apart");
    }

    [Fact]
    public void Exp_for_processors_without_AVX512_is_Vector256_Exp_bit_for_bit()
    {
        // The 8-wide loop runs only where Vector512 is not accelerated; called directly, it is checked here too.
        if (!System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) return;
        const int n = 100_003;   // a tail of 3
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -110f + 200f * i / (n - 1);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 88.72284f, 88.72285f, -103.97208f];
        specials.CopyTo(x, 0);
        var y = new float[n];
        SimdDriver.UnaryPadded(new ExpOp(), x, y, bits: 256);
        for (int i = 0; i < n; i++)
        {
            var one = new float[8];
            one[0] = x[i];
            float expected = System.Runtime.Intrinsics.Vector256.Exp(System.Runtime.Intrinsics.Vector256.Create<float>(one))[0];
            Assert.True(BitConverter.SingleToInt32Bits(y[i]) == BitConverter.SingleToInt32Bits(expected) || (float.IsNaN(y[i]) && float.IsNaN(expected)),
                $"exp({x[i]:R}) = {y[i]:R}, Vector256.Exp {expected:R}");
        }
    }

    [Fact]
    public void Sigmoid_tanh_and_erf_are_what_the_runtimes_exp_and_copysign_give_bit_for_bit()
    {
        // VMath builds on SpanMath's vector exp and a sign-bit select (so that the kernels calling them can be
        // precompiled); the results must be those of the same formulas over Vector512.Exp / Vector256.Exp and CopySign.
        var values = new List<float> { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-30f, -1e-30f, 44f, -44f, 90f, -90f };
        for (int i = 0; i < 20_000; i++) values.Add(-60f + 120f * i / 19_999);
        while (values.Count % 16 != 0) values.Add(0.5f);
        var x = values.ToArray();
        static bool Same(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b) || (float.IsNaN(a) && float.IsNaN(b));
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            for (int i = 0; i < x.Length; i += 16)
            {
                var v = System.Runtime.Intrinsics.Vector512.Create<float>(x.AsSpan(i, 16));
                var one = System.Runtime.Intrinsics.Vector512<float>.One;
                var two = System.Runtime.Intrinsics.Vector512.Create(2f);
                var sigmoid = one / (one + System.Runtime.Intrinsics.Vector512.Exp(-v));
                var tanh = System.Runtime.Intrinsics.Vector512.CopySign(one - two / (System.Runtime.Intrinsics.Vector512.Exp(System.Runtime.Intrinsics.Vector512.Abs(v) * two) + one), v);
                var exp = System.Runtime.Intrinsics.Vector512.Exp(v);
                var (s, t, e) = (VMath.Sigmoid(v), VMath.Tanh(v), VMath.Exp(v));
                for (int j = 0; j < 16; j++)
                {
                    Assert.True(Same(s[j], sigmoid[j]), $"sigmoid({x[i + j]:R}) = {s[j]:R}, expected {sigmoid[j]:R}");
                    Assert.True(Same(t[j], tanh[j]), $"tanh({x[i + j]:R}) = {t[j]:R}, expected {tanh[j]:R}");
                    Assert.True(Same(e[j], exp[j]), $"exp({x[i + j]:R}) = {e[j]:R}, expected {exp[j]:R}");
                }
            }
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
            for (int i = 0; i < x.Length; i += 8)
            {
                var v = System.Runtime.Intrinsics.Vector256.Create<float>(x.AsSpan(i, 8));
                var one = System.Runtime.Intrinsics.Vector256<float>.One;
                var two = System.Runtime.Intrinsics.Vector256.Create(2f);
                var tanh = System.Runtime.Intrinsics.Vector256.CopySign(one - two / (System.Runtime.Intrinsics.Vector256.Exp(System.Runtime.Intrinsics.Vector256.Abs(v) * two) + one), v);
                var t = VMath.Tanh(v);
                var s = VMath.Sigmoid(v);
                var sigmoid = one / (one + System.Runtime.Intrinsics.Vector256.Exp(-v));
                for (int j = 0; j < 8; j++)
                {
                    Assert.True(Same(t[j], tanh[j]), $"tanh256({x[i + j]:R}) = {t[j]:R}, expected {tanh[j]:R}");
                    Assert.True(Same(s[j], sigmoid[j]), $"sigmoid256({x[i + j]:R}) = {s[j]:R}, expected {sigmoid[j]:R}");
                }
            }
    }

    [Fact]
    public void Exp_keeps_the_limits()
    {
        var x = new[] { 0f, -200f, 100f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, -87f, 88f };
        var y = new float[x.Length];
        SpanMath.Exp(x, y);
        Assert.True(Math.Abs(y[0] - 1f) <= 1.2e-7f, $"exp(0) = {y[0]}");   // the runtime's vector exp: within one ulp
        Assert.Equal(0f, y[1]);
        Assert.Equal(float.PositiveInfinity, y[2]);
        Assert.Equal(0f, y[3]);
        Assert.Equal(float.PositiveInfinity, y[4]);
        Assert.True(float.IsNaN(y[5]));
        Assert.True(Math.Abs(y[6] / Math.Exp(-87) - 1) < 1e-6, $"exp(-87) = {y[6]}");
        Assert.True(Math.Abs(y[7] / Math.Exp(88) - 1) < 1e-6, $"exp(88) = {y[7]}");
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Add_is_exact_element_by_element_in_place_too(int n)
    {
        var a = Data(n, 2, -5f, 5f);
        var b = Data(n, 3, -5f, 5f);
        var y = new float[n];
        SpanMath.Add(a, b, y);
        for (int i = 0; i < n; i++) Assert.Equal(a[i] + b[i], y[i]);
        SpanMath.Add(a, b, a);
        Assert.Equal(y, a);
        Assert.Throws<ArgumentException>(() => SpanMath.Add(new float[n], new float[n + 1], new float[n + 1]));
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Sum_matches_the_float64_sum(int n)
    {
        var x = Data(n, 4, -1f, 3f);
        double expected = x.Sum(v => (double)v);
        float tol = 1e-6f * Math.Max(1, n);
        Assert.Equal(expected, SpanMath.Sum(x), tol);
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Max_and_Min_are_exact_and_see_a_NaN_at_any_position(int n)
    {
        var x = Data(n, 6, -50f, 50f);
        Assert.Equal(n == 0 ? float.NegativeInfinity : x.Max(), SpanMath.Max(x));
        Assert.Equal(n == 0 ? float.PositiveInfinity : x.Min(), SpanMath.Min(x));
        foreach (int at in new[] { 0, n / 2, n - 1 }.Where(i => i >= 0 && i < n).Distinct())
        {
            var y = (float[])x.Clone();
            y[at] = 1e30f;
            Assert.Equal(1e30f, SpanMath.Max(y));
            y[at] = -1e30f;
            Assert.Equal(-1e30f, SpanMath.Min(y));
            y[at] = float.NaN;
            Assert.True(float.IsNaN(SpanMath.Max(y)) && float.IsNaN(SpanMath.Min(y)), $"n={n}: NaN at {at} not seen");
        }
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Dot_matches_the_float64_dot(int n)
    {
        var (a, b) = (Data(n, 7, -2f, 2f), Data(n, 8, -2f, 2f));
        double expected = 0;
        for (int i = 0; i < n; i++) expected += (double)a[i] * b[i];
        Assert.Equal(expected, SpanMath.Dot(a, b), 2e-6 * Math.Max(1, n));
        Assert.Throws<ArgumentException>(() => SpanMath.Dot(new float[n], new float[n + 1]));
    }

    [Theory, MemberData(nameof(Lengths))]
    public void AllFinite_finds_a_NaN_or_an_infinity_at_any_position(int n)
    {
        var x = Data(n, 5, -1e30f, 1e30f);
        Assert.True(SpanMath.AllFinite(x));
        foreach (int at in new[] { 0, n / 2, n - 1 }.Where(i => i >= 0 && i < n).Distinct())
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                var y = (float[])x.Clone();
                y[at] = bad;
                Assert.False(SpanMath.AllFinite(y), $"n={n}: {bad} at {at} not seen");
            }
        // Large finite values (x - x is 0 exactly, no overflow) stay finite.
        Assert.True(SpanMath.AllFinite(Enumerable.Repeat(float.MaxValue, n).ToArray()));
    }
}
