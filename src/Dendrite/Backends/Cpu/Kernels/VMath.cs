using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu.Kernels;

/// <summary>Vector math the runtime lacks (tanh, sigmoid, erf) or leaves to the JIT (exp, log), built on <see cref="Exp(Vector512{float})"/>; scalar twins
/// for the tails.</summary>
internal static class VMath
{
    /// <summary>e^x, bit for bit what <c>Vector512.Exp</c> returns (<see cref="SpanMath.Exp512(Vector512{float})"/>):
    /// the runtime's is a generic method with vector parameters, which crossgen2 does not precompile, nor any kernel that
    /// calls it, so each sigmoid, tanh or exp kernel was jitted in a fresh process.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x) => SpanMath.Exp512(x);

    /// <summary>ln x, bit for bit what <c>Vector512.Log</c> returns (<see cref="SpanMath.Log512(Vector512{float})"/>), for the
    /// same reason as <see cref="Exp(Vector512{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x) => SpanMath.Log512(x);

    /// <summary>ln x, bit for bit what <c>Vector256.Log</c> returns (<see cref="SpanMath.Log256(Vector256{float})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x) => SpanMath.Log256(x);

    /// <summary>The magnitude of <paramref name="y"/> with the sign of <paramref name="x"/>, as <c>Vector512.CopySign</c>
    /// (which crossgen2 leaves to the JIT, as it does <c>Exp</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> CopySign(Vector512<float> y, Vector512<float> x) => Vector512.ConditionalSelect(Vector512.Create(-0f), x, y);

    /// <summary>The magnitude of <paramref name="y"/> with the sign of <paramref name="x"/>, as <c>Vector256.CopySign</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> CopySign(Vector256<float> y, Vector256<float> x) => Vector256.ConditionalSelect(Vector256.Create(-0f), x, y);

    /// <summary>e^x, bit for bit what <c>Vector256.Exp</c> returns (<see cref="SpanMath.Exp256(Vector256{float})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => SpanMath.Exp256(x);

    // Abramowitz & Stegun 7.1.26: |error| < 1.5e-7.
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    public static float Erf(float x)
    {
        float ax = MathF.Abs(x), t = 1f / (1f + P * ax);
        float y = 1f - ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t * MathF.Exp(-ax * ax);
        return MathF.CopySign(y, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Erf(Vector512<float> x)
    {
        var ax = Vector512.Abs(x);
        var t = Vector512<float>.One / (Vector512<float>.One + Vector512.Create(P) * ax);
        var poly = ((((Vector512.Create(A5) * t + Vector512.Create(A4)) * t + Vector512.Create(A3)) * t + Vector512.Create(A2)) * t + Vector512.Create(A1)) * t;
        var y = Vector512<float>.One - poly * Exp(-(ax * ax));
        return CopySign(y, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(P) * ax);
        var poly = ((((Vector256.Create(A5) * t + Vector256.Create(A4)) * t + Vector256.Create(A3)) * t + Vector256.Create(A2)) * t + Vector256.Create(A1)) * t;
        var y = Vector256<float>.One - poly * Exp(-(ax * ax));
        return CopySign(y, x);
    }

    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    /// <summary>tanh(x) = sign(x) (1 - 2 / (exp(2|x|) + 1)): no overflow, exact limits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var e = Exp(Vector512.Abs(x) * Vector512.Create(2f));
        return CopySign(Vector512<float>.One - Vector512.Create(2f) / (e + Vector512<float>.One), x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var e = Exp(Vector256.Abs(x) * Vector256.Create(2f));
        return CopySign(Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One), x);
    }

    /// <summary>softplus(x) = max(x, 0) + log(1 + exp(-|x|)).</summary>
    public static float Softplus(float x) => MathF.Max(x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Softplus(Vector512<float> x) =>
        Vector512.Max(x, Vector512<float>.Zero) + Log(Vector512<float>.One + Exp(-Vector512.Abs(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Softplus(Vector256<float> x) =>
        Vector256.Max(x, Vector256<float>.Zero) + Log(Vector256<float>.One + Exp(-Vector256.Abs(x)));
}
