using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu.Recurrent;

/// <summary>
/// Vectorised exp, sigmoid and tanh for the fused inference gate kernel, in float throughout (the runtime's vector exp
/// widens to double, which made it most of the gate kernel's time).
/// sigmoid(x) = 1 / (1 + exp(-x)); tanh(x) = sign(x) (1 - e) / (1 + e) with e = exp(-2|x|). Both stay finite for every
/// finite input (exp's overflow gives 0 or 1). Absolute error against the double-precision functions: below 1.5e-7
/// (sigmoid) and 2.5e-7 (tanh), pinned by a test over [-30, 30].
/// </summary>
internal static class FastGates
{
    // exp(x) = 2^n exp(r), n = round(x log2 e), r = x - n ln 2 (two-part ln 2), exp(r) from Cephes expf's degree-5
    // polynomial; x clamped to [-87.3, 88.3] so that 2^n stays a normal float (no double widening, no special cases).
    private const float Hi = 88.3f, Lo = -87.3f, Log2E = 1.44269504088896341f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(Lo)), Vector512.Create(Hi));
        var n = Vector512.Round(x * Vector512.Create(Log2E));
        var r = x - n * Vector512.Create(Ln2Hi) - n * Vector512.Create(Ln2Lo);
        var p = Vector512.Create(P0);
        p = p * r + Vector512.Create(P1);
        p = p * r + Vector512.Create(P2);
        p = p * r + Vector512.Create(P3);
        p = p * r + Vector512.Create(P4);
        p = p * r + Vector512.Create(P5);
        p = p * (r * r) + r + Vector512<float>.One;
        var scale = (Vector512.ConvertToInt32(n) + Vector512.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(Lo)), Vector256.Create(Hi));
        var n = Vector256.Round(x * Vector256.Create(Log2E));
        var r = x - n * Vector256.Create(Ln2Hi) - n * Vector256.Create(Ln2Lo);
        var p = Vector256.Create(P0);
        p = p * r + Vector256.Create(P1);
        p = p * r + Vector256.Create(P2);
        p = p * r + Vector256.Create(P3);
        p = p * r + Vector256.Create(P4);
        p = p * r + Vector256.Create(P5);
        p = p * (r * r) + r + Vector256<float>.One;
        var scale = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    /// <summary>The scalar exp, the same formula.</summary>
    public static float Exp(float x)
    {
        x = Math.Clamp(x, Lo, Hi);
        float n = MathF.Round(x * Log2E), r = x - n * Ln2Hi - n * Ln2Lo;
        float p = ((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5;
        p = p * (r * r) + r + 1f;
        return p * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var sign = x & Vector512.Create(-0f);
        var e = Exp(Vector512.Create(-2f) * Vector512.Abs(x));
        return ((Vector512<float>.One - e) / (Vector512<float>.One + e)) | sign;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var sign = x & Vector256.Create(-0f);
        var e = Exp(Vector256.Create(-2f) * Vector256.Abs(x));
        return ((Vector256<float>.One - e) / (Vector256<float>.One + e)) | sign;
    }

    /// <summary>The scalar forms (the vector loops' tails), the same formulas.</summary>
    public static float Sigmoid(float x) => 1f / (1f + Exp(-x));

    /// <inheritdoc cref="Sigmoid(float)"/>
    public static float Tanh(float x)
    {
        float e = Exp(-2f * MathF.Abs(x));
        return MathF.CopySign((1f - e) / (1f + e), x);
    }
}
