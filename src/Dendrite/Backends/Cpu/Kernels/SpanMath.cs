using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu.Kernels;

/// <summary>
/// Non-generic vector loops for the small maps and reductions of every training step (the softmax's exp, the loss's
/// sum, a bias gradient's row sums, the finite-data check). Each <c>TensorPrimitives</c> call over <c>float</c> is a
/// generic instantiation of a large driver (paths for three vector widths, alignment, unrolling) that a fresh process
/// compiles at its first call: 5-18 ms each, about a third of the first step's compilation on W2 (issue 14, "fast from
/// the first call"). These loops compile in well under a millisecond. Results: <see cref="Exp"/> gives what the
/// runtime's vector exp gives, bit for bit, on every element (the tail through a padded vector), so a value's result
/// does not depend on its position; <see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> is exact element by element; <see cref="Sum"/> adds in a
/// different order from <c>TensorPrimitives.Sum</c> (one vector accumulator), equal to within float rounding.
/// </summary>
internal static partial class SpanMath
{
    /// <summary>y[i] = exp(x[i]); <paramref name="y"/> may be <paramref name="x"/>. The tail goes through a zero-padded
    /// vector (<see cref="SimdDriver.UnaryPadded{TOp}"/>), so a value's result does not depend on its position.</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) KernelThrow.Argument("Exp: destination of length {0} is shorter than the source of length {1}.", y.Length, x.Length);
        SimdDriver.UnaryPadded(new ExpOp(), x, y);
    }

    // The exp's constants, one set for both widths: 2^r's polynomial C1 + C2 r + ... + C6 r^5 on |r| <= 1/2, log2(e),
    // the shifter 2^52 + 2^51 (adding it rounds to an integer kept in the low bits), and the range fix-ups: |x| above
    // the bits of ~87 is checked, above ExpMax gives +inf, below ExpMin gives 0.
    private const double C1 = 1.0000000754895704, C2 = 0.6931472254087585, C3 = 0.2402210737432219,
        C4 = 0.05550297297702539, C5 = 0.009676036358193323, C6 = 0.001341000536524434;
    private const double Log2E = 1.4426950408889634, Shifter = 6755399441055744.0;
    private const uint ExpBigArgBits = 0x42AE0000;
    private const float ExpMax = 88.72284f, ExpMin = -103.97208f;

    /// <summary>
    /// exp of 16 floats, bit for bit what <c>Vector512.Exp</c> (and so <c>TensorPrimitives.Exp</c>) returns: the same
    /// algorithm, constants and order of operations (AMD AOCL-LibM's <c>vrs4_expf</c>, BSD-3-Clause, as the runtime
    /// uses it): each value widened to double, x log2(e) split into an integer n and |r| &lt;= 1/2 with the 2^52 + 2^51
    /// trick, 2^r by a degree-5 polynomial (Estrin's scheme, multiply-adds fused where the processor can), n added to
    /// the exponent bits, one rounding to float; |x| beyond ~87 then gets +inf above 88.72 and 0 below -103.97. Written
    /// out rather than called: the runtime's version is a generic method over four vector types that a fresh process
    /// compiles separately (~5 ms, and as much again for its caller) on the path of every classifier's first training
    /// step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp512(Vector512<float> x)
    {
        var (lo, hi) = Vector512.Widen(x);
        var e = Vector512.Narrow(Exp2Poly(lo), Exp2Poly(hi));
        if (Vector512.GreaterThanAny(Vector512.Abs(x).AsUInt32(), Vector512.Create(ExpBigArgBits)))
        {
            e = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(ExpMax)), Vector512.Create(float.PositiveInfinity), e);
            e = Vector512.AndNot(e, Vector512.LessThan(x, Vector512.Create(ExpMin)));
        }
        return e;
    }

    /// <summary>e^x for x in double as 2^n 2^r, n = round(x log2(e)), without range checks (see
    /// <see cref="Exp512(Vector512{float})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Exp2Poly(Vector512<double> x)
    {
        var z = x * Vector512.Create(Log2E);
        var dn = z + Vector512.Create(Shifter);
        var n = dn.AsUInt64();
        var r = z - (dn - Vector512.Create(Shifter));
        var r2 = r * r;
        var r4 = r2 * r2;
        // Avx512F.FusedMultiplyAdd is what MultiplyAddEstimate compiles to on a processor with FMA (every AVX-512 one);
        // crossgen2 leaves MultiplyAddEstimate to the JIT (its result may differ between processors).
        var poly = Avx512F.FusedMultiplyAdd(r4,
            Avx512F.FusedMultiplyAdd(Vector512.Create(C6), r, Vector512.Create(C5)),
            Avx512F.FusedMultiplyAdd(r2,
                Avx512F.FusedMultiplyAdd(Vector512.Create(C4), r, Vector512.Create(C3)),
                Avx512F.FusedMultiplyAdd(Vector512.Create(C2), r, Vector512.Create(C1))));
        return (poly.AsUInt64() + Vector512.ShiftLeft(n, 52)).AsDouble();
    }

    /// <summary>The same as <see cref="Exp512(Vector512{float})"/> for 8 floats: bit for bit what <c>Vector256.Exp</c> returns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Exp256(Vector256<float> x)
    {
        var (lo, hi) = Vector256.Widen(x);
        var e = Vector256.Narrow(Exp2Poly(lo), Exp2Poly(hi));
        if (Vector256.GreaterThanAny(Vector256.Abs(x).AsUInt32(), Vector256.Create(ExpBigArgBits)))
        {
            e = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpMax)), Vector256.Create(float.PositiveInfinity), e);
            e = Vector256.AndNot(e, Vector256.LessThan(x, Vector256.Create(ExpMin)));
        }
        return e;
    }

    /// <summary><see cref="Exp2Poly(Vector512{double})"/> for 4 doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Exp2Poly(Vector256<double> x)
    {
        var z = x * Vector256.Create(Log2E);
        var dn = z + Vector256.Create(Shifter);
        var n = dn.AsUInt64();
        var r = z - (dn - Vector256.Create(Shifter));
        var r2 = r * r;
        var r4 = r2 * r2;
        var poly = Fmadd(r4, Fmadd(Vector256.Create(C6), r, Vector256.Create(C5)),
            Fmadd(r2, Fmadd(Vector256.Create(C4), r, Vector256.Create(C3)), Fmadd(Vector256.Create(C2), r, Vector256.Create(C1))));
        return (poly.AsUInt64() + Vector256.ShiftLeft(n, 52)).AsDouble();
    }

    /// <summary>a b + c as Vector256.MultiplyAddEstimate computes it (fused where the processor has FMA, else a product and
    /// a sum), written out because crossgen2 leaves MultiplyAddEstimate to the JIT and with it every kernel that calls it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Fmadd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <summary>The sum of <paramref name="x"/> in float: one vector accumulator, then its lanes, then the tail.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        float total = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16) acc += Vector512.LoadUnsafe(ref px, i);
            total = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8) acc += Vector256.LoadUnsafe(ref px, i);
            total = Vector256.Sum(acc);
        }
        for (; i < n; i++) total += Unsafe.Add(ref px, i);
        return total;
    }

    /// <summary>The largest value of <paramref name="x"/> (NaN if one is NaN; -inf for an empty span): exact, whatever the
    /// order, as <c>TensorPrimitives.Max</c>.</summary>
    public static float Max(ReadOnlySpan<float> x) => Fold(new MaximumOp(), x, float.NegativeInfinity);

    /// <summary>The smallest value of <paramref name="x"/> (NaN if one is NaN; +inf for an empty span), as
    /// <c>TensorPrimitives.Min</c>.</summary>
    public static float Min(ReadOnlySpan<float> x) => Fold(new MinimumOp(), x, float.PositiveInfinity);

    /// <summary><paramref name="op"/> over the values from <paramref name="init"/>: one vector accumulator, its lanes,
    /// then the tail (for an associative and commutative op such as max or min).</summary>
    private static float Fold<TOp>(TOp op, ReadOnlySpan<float> x, float init) where TOp : struct, IBinaryOp
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        float result = init;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512.Create(init);
            for (; i + 16 <= n; i += 16) acc = op.Invoke(acc, Vector512.LoadUnsafe(ref px, i));
            for (int j = 0; j < 16; j++) result = op.Invoke(result, acc[j]);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256.Create(init);
            for (; i + 8 <= n; i += 8) acc = op.Invoke(acc, Vector256.LoadUnsafe(ref px, i));
            for (int j = 0; j < 8; j++) result = op.Invoke(result, acc[j]);
        }
        for (; i < n; i++) result = op.Invoke(result, Unsafe.Add(ref px, i));
        return result;
    }

    /// <summary>The sum of a[i] b[i] in float: one vector accumulator (products rounded before they are added), then its
    /// lanes, then the tail; equal to <c>TensorPrimitives.Dot</c> to within float rounding.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) KernelThrow.Argument("Dot: lengths differ: {0}, {1}.", a.Length, b.Length);
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length, i = 0;
        float total = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16) acc += Vector512.LoadUnsafe(ref pa, i) * Vector512.LoadUnsafe(ref pb, i);
            total = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8) acc += Vector256.LoadUnsafe(ref pa, i) * Vector256.LoadUnsafe(ref pb, i);
            total = Vector256.Sum(acc);
        }
        for (; i < n; i++) total += Unsafe.Add(ref pa, i) * Unsafe.Add(ref pb, i);
        return total;
    }

    /// <summary>True when no value is NaN or infinite: x - x is 0 exactly for every finite x and NaN otherwise.</summary>
    public static bool AllFinite(ReadOnlySpan<float> x)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        float bad = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref px, i);
                acc += v - v;
            }
            bad = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref px, i);
                acc += v - v;
            }
            bad = Vector256.Sum(acc);
        }
        for (; i < n; i++) bad += Unsafe.Add(ref px, i) - Unsafe.Add(ref px, i);
        return bad == 0f;
    }
}
