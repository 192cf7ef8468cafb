using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu.Kernels;

/// <summary>
/// The exact element-wise maps the kernels use, with the names, argument order and results of <c>TensorPrimitives</c>'
/// float overloads (each element's result is one IEEE operation, or a product then a sum for
/// <see cref="MultiplyAdd(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>, so the same
/// bits). Each is an instantiation the ReadyToRun image holds (<see cref="SimdDriver"/> over an op of this assembly, or a
/// loop of its own), where each <c>TensorPrimitives</c> call instantiates a generic driver a fresh process jits at its
/// first call (the recurrent layers' step called nine of them, batch normalization three). The destination may be one of
/// the sources.
/// </summary>
internal static partial class SpanMath
{
    /// <summary>y[i] = a[i] + b[i].</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => SimdDriver.Binary(new AddOp(), a, b, y);

    /// <summary>y[i] = a[i] + b.</summary>
    public static void Add(ReadOnlySpan<float> a, float b, Span<float> y) => SimdDriver.BinaryScalarRight(new AddOp(), a, b, y);

    /// <summary>y[i] = a[i] - b[i].</summary>
    public static void Subtract(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => SimdDriver.Binary(new SubOp(), a, b, y);

    /// <summary>y[i] = a[i] - b.</summary>
    public static void Subtract(ReadOnlySpan<float> a, float b, Span<float> y) => SimdDriver.BinaryScalarRight(new SubOp(), a, b, y);

    /// <summary>y[i] = a[i] b[i].</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => SimdDriver.Binary(new MulOp(), a, b, y);

    /// <summary>y[i] = a[i] b.</summary>
    public static void Multiply(ReadOnlySpan<float> a, float b, Span<float> y) => SimdDriver.BinaryScalarRight(new MulOp(), a, b, y);

    /// <summary>y[i] = a[i] b[i] + c[i], the product rounded before the sum (not fused), as <c>TensorPrimitives.MultiplyAdd</c>.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> y)
    {
        if (a.Length != b.Length || a.Length != c.Length) KernelThrow.Argument("MultiplyAdd: lengths differ: {0}, {1}, {2}.", a.Length, b.Length, c.Length);
        if (y.Length < a.Length) KernelThrow.Argument("MultiplyAdd: destination of length {0} is shorter than {1}.", y.Length, a.Length);
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        ref float pc = ref MemoryMarshal.GetReference(c);
        ref float py = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16)
                (Vector512.LoadUnsafe(ref pa, i) * Vector512.LoadUnsafe(ref pb, i) + Vector512.LoadUnsafe(ref pc, i)).StoreUnsafe(ref py, i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8)
                (Vector256.LoadUnsafe(ref pa, i) * Vector256.LoadUnsafe(ref pb, i) + Vector256.LoadUnsafe(ref pc, i)).StoreUnsafe(ref py, i);
        for (; i < n; i++) Unsafe.Add(ref py, i) = Unsafe.Add(ref pa, i) * Unsafe.Add(ref pb, i) + Unsafe.Add(ref pc, i);
    }

    /// <summary>y[i] = a[i] b + c[i], the product rounded before the sum.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> a, float b, ReadOnlySpan<float> c, Span<float> y)
    {
        if (a.Length != c.Length || y.Length < a.Length)
            KernelThrow.Argument("MultiplyAdd: lengths differ: {0}, {1} -> {2}.", a.Length, c.Length, y.Length);
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pc = ref MemoryMarshal.GetReference(c);
        ref float py = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vb = Vector512.Create(b);
            for (; i + 16 <= n; i += 16) (Vector512.LoadUnsafe(ref pa, i) * vb + Vector512.LoadUnsafe(ref pc, i)).StoreUnsafe(ref py, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vb = Vector256.Create(b);
            for (; i + 8 <= n; i += 8) (Vector256.LoadUnsafe(ref pa, i) * vb + Vector256.LoadUnsafe(ref pc, i)).StoreUnsafe(ref py, i);
        }
        for (; i < n; i++) Unsafe.Add(ref py, i) = Unsafe.Add(ref pa, i) * b + Unsafe.Add(ref pc, i);
    }
}
