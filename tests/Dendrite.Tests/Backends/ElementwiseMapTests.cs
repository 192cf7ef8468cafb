using System.Numerics.Tensors;
using Dendrite.Backends;
using Dendrite.Backends.Cpu.Kernels;
using Dendrite.Backends.Cpu.Recurrent;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Backends;

/// <summary>
/// The precompiled element-wise maps that replaced <c>TensorPrimitives</c> calls in the kernels
/// (<see cref="SpanMath"/>'s Add/Subtract/Multiply/MultiplyAdd, the recurrent gates' activations through
/// <see cref="SimdDriver.UnaryPadded{TOp}"/>): the same bits as the calls they replaced, at every length around the
/// vector widths, in place too.
/// </summary>
public class ElementwiseMapTests
{
    public static TheoryData<int> Lengths()
    {
        var d = new TheoryData<int>();
        foreach (int n in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 20, 31, 32, 33, 100, 1023, 1025 }) d.Add(n);
        return d;
    }

    private static float[] Data(int n, int seed, float lo, float hi) => Tensor.RandomUniform([n], lo, hi, seed: seed).ToArray();

    private static void SameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]) || (float.IsNaN(expected[i]) && float.IsNaN(actual[i])),
                $"{what}[{i}] of {expected.Length}: {actual[i]:R}, TensorPrimitives {expected[i]:R}");
    }

    [Theory, MemberData(nameof(Lengths))]
    public void The_maps_give_TensorPrimitives_results_bit_for_bit(int n)
    {
        var (a, b, c) = (Data(n, 1, -3f, 3f), Data(n, 2, -3f, 3f), Data(n, 3, -3f, 3f));
        float s = 0.37f;
        void Check(string what, Action<float[]> ours, Action<float[]> theirs)
        {
            var (y, e) = (new float[n], new float[n]);
            ours(y);
            theirs(e);
            SameBits(e, y, what);
        }
        Check("a+s", y => SpanMath.Add(a, s, y), e => TensorPrimitives.Add(a, s, e));
        Check("a-b", y => SpanMath.Subtract(a, b, y), e => TensorPrimitives.Subtract(a, b, e));
        Check("a-s", y => SpanMath.Subtract(a, s, y), e => TensorPrimitives.Subtract(a, s, e));
        Check("a*b", y => SpanMath.Multiply(a, b, y), e => TensorPrimitives.Multiply(a, b, e));
        Check("a*s", y => SpanMath.Multiply(a, s, y), e => TensorPrimitives.Multiply(a, s, e));
        Check("a*b+c", y => SpanMath.MultiplyAdd(a, b, c, y), e => TensorPrimitives.MultiplyAdd(a, b, c, e));
        Check("a*s+c", y => SpanMath.MultiplyAdd(a, s, c, y), e => TensorPrimitives.MultiplyAdd(a, s, c, e));
        // The product is rounded before the sum, as TensorPrimitives.MultiplyAdd does (not fused).
        for (int i = 0; i < n; i++)
        {
            var y = new float[1];
            SpanMath.MultiplyAdd([a[i]], [b[i]], [c[i]], y);
            Assert.Equal(a[i] * b[i] + c[i], y[0]);
        }
        // In place: the destination may be a source.
        var inPlace = (float[])a.Clone();
        SpanMath.MultiplyAdd(inPlace, b, inPlace, inPlace);
        var expected = new float[n];
        TensorPrimitives.MultiplyAdd(a, b, a, expected);
        SameBits(expected, inPlace, "in place a*b+a");
        Assert.Throws<ArgumentException>(() => SpanMath.Multiply(new float[n], new float[n + 1], new float[n + 1]));
        Assert.Throws<ArgumentException>(() => SpanMath.MultiplyAdd(new float[n], new float[n], new float[n + 1], new float[n + 1]));
        Assert.Throws<ArgumentException>(() => SpanMath.MultiplyAdd(new float[n + 1], 1f, new float[n + 1], new float[n]));
    }

    [Theory, MemberData(nameof(Lengths))]
    public void The_gate_activations_give_TensorPrimitives_results_bit_for_bit_at_every_position(int n)
    {
        // The values a gate sees, plus the saturated and special ones.
        var x = Data(n, 4, -12f, 12f);
        float[] specials = [0f, -0f, 1e-8f, -1e-8f, 40f, -40f, 100f, -100f, float.NaN];
        for (int i = 0; i < Math.Min(n, specials.Length); i++) x[i * 7 % n] = specials[i];
        void Check(RecurrentActivation act, Action<float[]> theirs)
        {
            var y = (float[])x.Clone();
            GateMath.Apply(act, y);
            var e = (float[])x.Clone();
            if (n > 0) theirs(e);
            // Below 4 values TensorPrimitives computes each one with the scalar function (MathF.Tanh, ...), which can
            // differ from the vector one in the last bits; from 4 on, every value gets the vector function, as here.
            if (n >= 4) SameBits(e, y, act.ToString());
            else TensorAssert.Close(e, y, atol: 2e-7f, rtol: 1e-6f, what: act.ToString());
        }
        Check(RecurrentActivation.Tanh, e => TensorPrimitives.Tanh(e, e));
        Check(RecurrentActivation.Sigmoid, e => TensorPrimitives.Sigmoid(e, e));
        Check(RecurrentActivation.HardSigmoid, e =>
        {
            TensorPrimitives.Multiply(e, 1f / 6f, e);
            TensorPrimitives.Add(e, 0.5f, e);
            TensorPrimitives.Max(e, 0f, e);
            TensorPrimitives.Min(e, 1f, e);
        });
        Check(RecurrentActivation.HardSigmoidKeras2, e =>
        {
            TensorPrimitives.Multiply(e, 0.2f, e);
            TensorPrimitives.Add(e, 0.5f, e);
            TensorPrimitives.Max(e, 0f, e);
            TensorPrimitives.Min(e, 1f, e);
        });
        var relu = (float[])x.Clone();
        GateMath.Apply(RecurrentActivation.Relu, relu);
        for (int i = 0; i < n; i++)
            if (!float.IsNaN(x[i])) Assert.Equal(x[i] > 0f ? x[i] : 0f, relu[i]);
    }

    [Fact]
    public void The_gates_tanh_is_accurate()
    {
        // Against the float64 tanh: the runtime's formula loses relative accuracy near 0 (1 - e^(-2|x|) cancels), so the
        // bound is absolute, as the gates need it.
        var x = new float[20_000];
        for (int i = 0; i < x.Length; i++) x[i] = -20f + 40f * i / (x.Length - 1);
        var y = (float[])x.Clone();
        GateMath.Apply(RecurrentActivation.Tanh, y);
        TensorAssert.Close(x.Select(v => (float)Math.Tanh(v)).ToArray(), y, atol: 2e-7f, rtol: 0f, what: "gate tanh");
    }
}
