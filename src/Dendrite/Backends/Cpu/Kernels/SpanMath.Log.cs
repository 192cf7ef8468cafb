using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu.Kernels;

internal static partial class SpanMath
{
    // The log's constants: the bits of the smallest normal float and of +inf (the special-input check), the mantissa
    // mask, the bits of 2/3 (the reduction's offset), ln 2, and the polynomial for log(1 + r) - r, r in [-1/3, 1/3].
    private const uint LogMin = 0x00800000, LogMax = 0x7F800000, LogMask = 0x007FFFFF, LogOff = 0x3F2AAAAB;
    private const float Ln2 = 0.6931472f;
    private const float L2 = -0.5000001f, L3 = 0.33332965f, L4 = -0.24999046f, L5 = 0.20018855f, L6 = -0.16700386f,
        L7 = 0.13902695f, L8 = -0.1197452f, L9 = 0.14401625f, L10 = -0.13657966f;

    /// <summary>
    /// The natural log of 16 floats, bit for bit what <c>Vector512.Log</c> returns: the same algorithm, constants and
    /// order of operations (AMD AOCL-LibM's <c>vrs4_logf</c>, BSD-3-Clause, as the runtime uses it). x = 2^n m with m
    /// in [2/3, 4/3) (subnormals scaled by 2^23 first), r = m - 1, log(1 + r) by a degree-10 polynomial (Estrin's
    /// scheme, multiply-adds fused), plus n ln 2; NaN for negative inputs and NaN, -inf for zeros, +inf for +inf.
    /// Written out because crossgen2 leaves the runtime's generic vector log to the JIT, and with it every kernel that
    /// calls it (log, softplus, mish, binary cross-entropy).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Log512(Vector512<float> x)
    {
        var special = Vector512.GreaterThanOrEqual(x.AsUInt32() - Vector512.Create(LogMin), Vector512.Create(LogMax - LogMin));
        var specialResult = x;
        if (special != Vector512<uint>.Zero)
        {
            // Zero, negative, NaN or +inf: a result of their own; a subnormal: scaled into the normal range.
            var negative = Vector512.LessThan(x.AsInt32(), Vector512<int>.Zero).AsSingle();
            var zero = Vector512.Equals(x, Vector512<float>.Zero);
            specialResult = Vector512.ConditionalSelect(negative, Vector512.Create(float.NaN), specialResult);
            specialResult = Vector512.ConditionalSelect(zero, Vector512.Create(float.NegativeInfinity), specialResult);
            var own = zero | negative | ~Vector512.Equals(x, x) | Vector512.Equals(x, Vector512.Create(float.PositiveInfinity));
            var subnormal = Vector512.AndNot(special.AsSingle(), own);
            var scaled = ((x * Vector512.Create(8388608f)).AsUInt32() - Vector512.Create(23u << 23)).AsSingle();
            x = Vector512.ConditionalSelect(subnormal, scaled, x);
            special = own.AsUInt32();
        }
        var vx = x.AsUInt32() - Vector512.Create(LogOff);
        var n = Vector512.ConvertToSingle(Vector512.ShiftRightArithmetic(vx.AsInt32(), 23));
        vx = (vx & Vector512.Create(LogMask)) + Vector512.Create(LogOff);
        var r = vx.AsSingle() - Vector512<float>.One;
        var r2 = r * r;
        var r4 = r2 * r2;
        var r8 = r4 * r4;
        var q = Avx512F.FusedMultiplyAdd(
            Avx512F.FusedMultiplyAdd(r2, Vector512.Create(L10), Avx512F.FusedMultiplyAdd(Vector512.Create(L9), r, Vector512.Create(L8))),
            r8,
            Avx512F.FusedMultiplyAdd(
                Avx512F.FusedMultiplyAdd(
                    Avx512F.FusedMultiplyAdd(Vector512.Create(L7), r, Vector512.Create(L6)),
                    r2,
                    Avx512F.FusedMultiplyAdd(Vector512.Create(L5), r, Vector512.Create(L4))),
                r4,
                Avx512F.FusedMultiplyAdd(Avx512F.FusedMultiplyAdd(Vector512.Create(L3), r, Vector512.Create(L2)), r2, r)));
        return Vector512.ConditionalSelect(special.AsSingle(), specialResult, Avx512F.FusedMultiplyAdd(n, Vector512.Create(Ln2), q));
    }

    /// <summary>The same as <see cref="Log512(Vector512{float})"/> for 8 floats: bit for bit what <c>Vector256.Log</c> returns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Log256(Vector256<float> x)
    {
        var special = Vector256.GreaterThanOrEqual(x.AsUInt32() - Vector256.Create(LogMin), Vector256.Create(LogMax - LogMin));
        var specialResult = x;
        if (special != Vector256<uint>.Zero)
        {
            var negative = Vector256.LessThan(x.AsInt32(), Vector256<int>.Zero).AsSingle();
            var zero = Vector256.Equals(x, Vector256<float>.Zero);
            specialResult = Vector256.ConditionalSelect(negative, Vector256.Create(float.NaN), specialResult);
            specialResult = Vector256.ConditionalSelect(zero, Vector256.Create(float.NegativeInfinity), specialResult);
            var own = zero | negative | ~Vector256.Equals(x, x) | Vector256.Equals(x, Vector256.Create(float.PositiveInfinity));
            var subnormal = Vector256.AndNot(special.AsSingle(), own);
            var scaled = ((x * Vector256.Create(8388608f)).AsUInt32() - Vector256.Create(23u << 23)).AsSingle();
            x = Vector256.ConditionalSelect(subnormal, scaled, x);
            special = own.AsUInt32();
        }
        var vx = x.AsUInt32() - Vector256.Create(LogOff);
        var n = Vector256.ConvertToSingle(Vector256.ShiftRightArithmetic(vx.AsInt32(), 23));
        vx = (vx & Vector256.Create(LogMask)) + Vector256.Create(LogOff);
        var r = vx.AsSingle() - Vector256<float>.One;
        var r2 = r * r;
        var r4 = r2 * r2;
        var r8 = r4 * r4;
        var q = Fmadd(
            Fmadd(r2, Vector256.Create(L10), Fmadd(Vector256.Create(L9), r, Vector256.Create(L8))),
            r8,
            Fmadd(
                Fmadd(Fmadd(Vector256.Create(L7), r, Vector256.Create(L6)), r2, Fmadd(Vector256.Create(L5), r, Vector256.Create(L4))),
                r4,
                Fmadd(Fmadd(Vector256.Create(L3), r, Vector256.Create(L2)), r2, r)));
        return Vector256.ConditionalSelect(special.AsSingle(), specialResult, Fmadd(n, Vector256.Create(Ln2), q));
    }

    /// <summary>a b + c as Vector256.MultiplyAddEstimate computes it for floats (fused where the processor has FMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fmadd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
}
