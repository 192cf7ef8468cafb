using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu.Recurrent;

/// <summary>
/// Vectorised sigmoid and tanh for the fused inference gate kernel, built on the runtime's vector exp (about 1 ulp).
/// sigmoid(x) = 1 / (1 + exp(-x)); tanh(x) = sign(x) (1 - e) / (1 + e) with e = exp(-2|x|). Both stay finite for every
/// finite input (exp's overflow gives 0 or 1). Absolute error against the double-precision functions: below 1.5e-7
/// (sigmoid) and 2.5e-7 (tanh), pinned by a test over [-30, 30].
/// </summary>
internal static class FastGates
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var sign = x & Vector512.Create(-0f);
        var e = Vector512.Exp(Vector512.Create(-2f) * Vector512.Abs(x));
        return ((Vector512<float>.One - e) / (Vector512<float>.One + e)) | sign;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var sign = x & Vector256.Create(-0f);
        var e = Vector256.Exp(Vector256.Create(-2f) * Vector256.Abs(x));
        return ((Vector256<float>.One - e) / (Vector256<float>.One + e)) | sign;
    }

    /// <summary>The scalar forms (the vector loops' tails), the same formulas.</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <inheritdoc cref="Sigmoid(float)"/>
    public static float Tanh(float x)
    {
        float e = MathF.Exp(-2f * MathF.Abs(x));
        return MathF.CopySign((1f - e) / (1f + e), x);
    }
}
