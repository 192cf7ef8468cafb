using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Tests.Backends;

/// <summary>
/// <see cref="VMath.Log(Vector512{float})"/> (log, softplus, mish and binary cross-entropy call it; the runtime's
/// <c>Vector512.Log</c> is left to the JIT by crossgen2) against the runtime's vector log, bit for bit, over the whole
/// float range and the special values, and against the float64 log.
/// </summary>
public class VectorLogTests
{
    private static bool Same(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b) || (float.IsNaN(a) && float.IsNaN(b));

    /// <summary>Every 331st float bit pattern from +0 to past +inf (normals, subnormals, NaNs), the negative ones that
    /// follow, and the special values.</summary>
    private static float[] Inputs()
    {
        var values = new List<float> { 0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, 1.17549435e-38f, 1.1754942e-38f, float.MaxValue,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN, 2f / 3f, 0.6666666f, 0.66666675f, 4f / 3f, 2f, 0.5f, 1.0000001f, 0.99999994f };
        for (uint bits = 0; bits <= 0x7FC00000u; bits += 331) values.Add(BitConverter.UInt32BitsToSingle(bits));
        for (uint bits = 0x80000000u; bits <= 0x80800000u; bits += 4099) values.Add(BitConverter.UInt32BitsToSingle(bits));
        for (uint bits = 0xBF000000u; bits <= 0xFF800000u; bits += 40_009) values.Add(BitConverter.UInt32BitsToSingle(bits));
        while (values.Count % 16 != 0) values.Add(3f);
        return [.. values];
    }

    [Fact]
    public void Log_is_the_runtimes_Vector512_Log_bit_for_bit()
    {
        if (!Vector512.IsHardwareAccelerated) return;
        var x = Inputs();
        for (int i = 0; i < x.Length; i += 16)
        {
            var v = Vector512.Create<float>(x.AsSpan(i, 16));
            var (ours, runtime) = (VMath.Log(v), Vector512.Log(v));
            for (int j = 0; j < 16; j++)
                Assert.True(Same(ours[j], runtime[j]), $"log({x[i + j]:R}) (bits {BitConverter.SingleToUInt32Bits(x[i + j]):X8}) = {ours[j]:R}, Vector512.Log {runtime[j]:R}");
        }
    }

    [Fact]
    public void Log_is_the_runtimes_Vector256_Log_bit_for_bit()
    {
        if (!Vector256.IsHardwareAccelerated) return;
        var x = Inputs();
        for (int i = 0; i < x.Length; i += 8)
        {
            var v = Vector256.Create<float>(x.AsSpan(i, 8));
            var (ours, runtime) = (VMath.Log(v), Vector256.Log(v));
            for (int j = 0; j < 8; j++)
                Assert.True(Same(ours[j], runtime[j]), $"log({x[i + j]:R}) (bits {BitConverter.SingleToUInt32Bits(x[i + j]):X8}) = {ours[j]:R}, Vector256.Log {runtime[j]:R}");
        }
    }

    [Fact]
    public void Log_is_within_two_ulps_of_the_float64_log_and_keeps_the_special_values()
    {
        var x = Inputs();
        var y = new float[x.Length];
        SimdDriver.UnaryPadded(new LogOp(), x, y);
        int worst = 0, at = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!(x[i] > 0f) || float.IsInfinity(x[i])) continue;
            float expected = (float)Math.Log(x[i]);
            int ulps = Math.Abs(BitConverter.SingleToInt32Bits(y[i]) - BitConverter.SingleToInt32Bits(expected));
            if (expected == 0f) ulps = y[i] == 0f ? 0 : int.MaxValue;
            if (ulps > worst) (worst, at) = (ulps, i);
        }
        Assert.True(worst <= 2, $"log({x[at]:R}) = {y[at]:R}, float64 {(float)Math.Log(x[at]):R}: {worst} ulps apart");
        float[] specials = [0f, -0f, -1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1f, float.Epsilon];
        var s = new float[specials.Length];
        SimdDriver.UnaryPadded(new LogOp(), specials, s);
        Assert.Equal(float.NegativeInfinity, s[0]);
        Assert.Equal(float.NegativeInfinity, s[1]);
        Assert.True(float.IsNaN(s[2]) && float.IsNaN(s[3]) && float.IsNaN(s[5]));
        Assert.Equal(float.PositiveInfinity, s[4]);
        Assert.Equal(0f, s[6]);
        Assert.Equal((float)Math.Log(float.Epsilon), s[7], 1e-4f);
    }

    [Fact]
    public void Log_based_kernels_give_what_TensorPrimitives_gives()
    {
        // The log op (Ops.Log) and softplus over whole vectors: the same bits as the runtime's formulas over TensorPrimitives.
        var x = new float[4096];
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Exp(-30f + 60f * i / x.Length);
        var ours = new float[x.Length];
        var runtime = new float[x.Length];
        SimdDriver.Unary(new LogOp(), x, ours);
        TensorPrimitives.Log(x, runtime);
        for (int i = 0; i < x.Length; i++) Assert.True(Same(ours[i], runtime[i]), $"log({x[i]:R}) = {ours[i]:R}, TensorPrimitives {runtime[i]:R}");
        for (int i = 0; i < x.Length; i++) x[i] = -40f + 80f * i / x.Length;
        SimdDriver.Unary(new SoftplusOp(), x, ours);
        if (Vector512.IsHardwareAccelerated)
            for (int i = 0; i < x.Length; i += 16)
            {
                var v = Vector512.Create<float>(x.AsSpan(i, 16));
                var expected = Vector512.Max(v, Vector512<float>.Zero) + Vector512.Log(Vector512<float>.One + Vector512.Exp(-Vector512.Abs(v)));
                for (int j = 0; j < 16; j++) Assert.True(Same(ours[i + j], expected[j]), $"softplus({x[i + j]:R}) = {ours[i + j]:R}, expected {expected[j]:R}");
            }
    }
}
