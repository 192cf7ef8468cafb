using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu.Kernels;

/// <summary>
/// Non-generic vector loops for the small maps and reductions of every training step (the softmax's exp, the loss's
/// sum, a bias gradient's row sums, the finite-data check). Each <c>TensorPrimitives</c> call over <c>float</c> is a
/// generic instantiation of a large driver (paths for three vector widths, alignment, unrolling) that a fresh process
/// compiles at its first call: 5-18 ms each, about a third of the first step's compilation on W2 (issue 14, "fast from
/// the first call"). These loops compile in well under a millisecond. Results: <see cref="Exp"/> computes every
/// element the same way (the tail through a padded vector), so a value's result does not depend on its position, and
/// within an ulp of the float64 exp; <see cref="Add"/> is exact element by element; <see cref="Sum"/> adds in a different order from
/// <c>TensorPrimitives.Sum</c> (one vector accumulator), equal to within float rounding.
/// </summary>
internal static class SpanMath
{
    /// <summary>y[i] = exp(x[i]); <paramref name="y"/> may be <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException($"Exp: destination of length {y.Length} is shorter than the source of length {x.Length}.");
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        // One call site of the vector exp per width (the tail through a zero-padded vector).
        if (Vector512.IsHardwareAccelerated)
        {
            Span<float> pad = stackalloc float[16];
            for (; i < n; i += 16)
            {
                bool whole = i + 16 <= n;
                if (!whole) { pad.Clear(); x[(int)i..].CopyTo(pad); }
                var e = Exp512(whole ? Vector512.LoadUnsafe(ref px, i) : Vector512.Create<float>(pad));
                if (whole) e.StoreUnsafe(ref py, i);
                else { e.CopyTo(pad); pad[..(int)(n - i)].CopyTo(y[(int)i..]); }
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Span<float> pad = stackalloc float[8];
            for (; i < n; i += 8)
            {
                bool whole = i + 8 <= n;
                if (!whole) { pad.Clear(); x[(int)i..].CopyTo(pad); }
                var e = Vector256.Exp(whole ? Vector256.LoadUnsafe(ref px, i) : Vector256.Create<float>(pad));
                if (whole) e.StoreUnsafe(ref py, i);
                else { e.CopyTo(pad); pad[..(int)(n - i)].CopyTo(y[(int)i..]); }
            }
        }
        else
        {
            for (; i < n; i++) Unsafe.Add(ref py, i) = MathF.Exp(Unsafe.Add(ref px, i));
        }
    }

    /// <summary>
    /// exp of 16 floats, computed in double and rounded once to float: within half an ulp of the float64 exp plus
    /// ~1e-11 relative (the series), so the result is the correctly rounded float except next to a rounding tie.
    /// Written out here rather than calling <c>Vector512.Exp</c>: the runtime's version is a generic method over four
    /// vector types that a fresh process compiles separately (~5 ms, and as much again for its caller), on the path of
    /// every classifier's first training step. NaN stays NaN, -inf and anything below -110 give 0, +inf and anything
    /// above 89 give +inf (the float overflow of the final rounding).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp512(Vector512<float> x)
    {
        var (lo, hi) = Vector512.Widen(x);
        var e = Vector512.Narrow(ExpDouble(lo), ExpDouble(hi));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), e, x);
    }

    /// <summary>exp(x) for x in double: x = k ln2 + r with |r| &lt;= ln2/2, exp(r) by its Taylor series to r^9/9!
    /// (remainder below 1e-11 relative), times 2^k built in the exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ExpDouble(Vector512<double> x)
    {
        x = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(-110.0)), Vector512.Create(89.0));
        var k = Vector512.Round(x * Vector512.Create(1.4426950408889634));   // x / ln2
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-0.6931471803691238), x);   // ln2's upper 32 bits
        r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-1.9082149292705877e-10), r);   // and the rest
        var p = Vector512.Create(1.0 / 362880);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 40320));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 5040));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 720));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt64(k) + Vector512.Create(1023L), 52).AsDouble();
        return p * scale;
    }

    /// <summary>y[i] = a[i] + b[i]; <paramref name="y"/> may be <paramref name="a"/> or <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        if (a.Length != b.Length || y.Length < a.Length) throw new ArgumentException($"Add: lengths differ: {a.Length}, {b.Length} -> {y.Length}.");
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        ref float py = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16) (Vector512.LoadUnsafe(ref pa, i) + Vector512.LoadUnsafe(ref pb, i)).StoreUnsafe(ref py, i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) (Vector256.LoadUnsafe(ref pa, i) + Vector256.LoadUnsafe(ref pb, i)).StoreUnsafe(ref py, i);
        for (; i < n; i++) Unsafe.Add(ref py, i) = Unsafe.Add(ref pa, i) + Unsafe.Add(ref pb, i);
    }

    /// <summary>The sum of <paramref name="x"/> in float: one vector accumulator, then its lanes, then the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>True when no value is NaN or infinite: x - x is 0 exactly for every finite x and NaN otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
