using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu.Kernels;

/// <summary>One generic driver per op arity: Vector512 blocks, then Vector256, then a scalar tail (or, for
/// <see cref="UnaryPadded{TOp}"/>, a padded vector).</summary>
internal static class SimdDriver
{
    /// <summary>The widest vector path used by default: 512, 256 or 0 (scalar); each driver also takes an explicit width.</summary>
    internal static readonly int MaxBits =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0;

    public static void Unary<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y, int bits = -1) where TOp : struct, IUnaryOp
    {
        if (bits < 0) bits = MaxBits;
        if (y.Length < x.Length) KernelThrow.Argument("Destination of length {0} is shorter than the source of length {1}.", y.Length, x.Length);
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        if (bits >= 512)
            for (; i + 16 <= n; i += 16) op.Invoke(Vector512.LoadUnsafe(ref px, i)).StoreUnsafe(ref py, i);
        if (bits >= 256)
            for (; i + 8 <= n; i += 8) op.Invoke(Vector256.LoadUnsafe(ref px, i)).StoreUnsafe(ref py, i);
        for (; i < n; i++) Unsafe.Add(ref py, i) = op.Invoke(Unsafe.Add(ref px, i));
    }

    /// <summary>
    /// <see cref="Unary{TOp}"/> with the tail through a zero-padded vector instead of scalar code, so every element gets
    /// the vector result whatever its position, as <c>TensorPrimitives</c>' drivers give it for spans of 4 or more (the
    /// recurrent gates, whose rows are often not a multiple of 16 long, kept their results when they stopped calling
    /// them).
    /// </summary>
    public static unsafe void UnaryPadded<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y, int bits = -1) where TOp : struct, IUnaryOp
    {
        if (bits < 0) bits = MaxBits;
        if (y.Length < x.Length) KernelThrow.Argument("Destination of length {0} is shorter than the source of length {1}.", y.Length, x.Length);
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        float* pad = stackalloc float[16];
        if (bits >= 512)
        {
            for (; i + 16 <= n; i += 16) op.Invoke(Vector512.LoadUnsafe(ref px, i)).StoreUnsafe(ref py, i);
            if (i == n) return;
            int rest = (int)(n - i);
            for (int t = 0; t < 16; t++) pad[t] = t < rest ? Unsafe.Add(ref px, i + (nuint)t) : 0f;
            op.Invoke(Vector512.Load(pad)).Store(pad);
            for (int t = 0; t < rest; t++) Unsafe.Add(ref py, i + (nuint)t) = pad[t];
        }
        else if (bits >= 256)
        {
            for (; i + 8 <= n; i += 8) op.Invoke(Vector256.LoadUnsafe(ref px, i)).StoreUnsafe(ref py, i);
            if (i == n) return;
            int rest = (int)(n - i);
            for (int t = 0; t < 8; t++) pad[t] = t < rest ? Unsafe.Add(ref px, i + (nuint)t) : 0f;
            op.Invoke(Vector256.Load(pad)).Store(pad);
            for (int t = 0; t < rest; t++) Unsafe.Add(ref py, i + (nuint)t) = pad[t];
        }
        else for (; i < n; i++) Unsafe.Add(ref py, i) = op.Invoke(Unsafe.Add(ref px, i));
    }

    public static void Binary<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int bits = -1) where TOp : struct, IBinaryOp
    {
        if (bits < 0) bits = MaxBits;
        if (a.Length != b.Length || y.Length < a.Length) KernelThrow.Argument("Lengths differ: {0}, {1} -> {2}.", a.Length, b.Length, y.Length);
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        ref float py = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length, i = 0;
        if (bits >= 512)
            for (; i + 16 <= n; i += 16) op.Invoke(Vector512.LoadUnsafe(ref pa, i), Vector512.LoadUnsafe(ref pb, i)).StoreUnsafe(ref py, i);
        if (bits >= 256)
            for (; i + 8 <= n; i += 8) op.Invoke(Vector256.LoadUnsafe(ref pa, i), Vector256.LoadUnsafe(ref pb, i)).StoreUnsafe(ref py, i);
        for (; i < n; i++) Unsafe.Add(ref py, i) = op.Invoke(Unsafe.Add(ref pa, i), Unsafe.Add(ref pb, i));
    }

    /// <summary>y[i] = op(a[i], b) for a scalar right operand.</summary>
    public static void BinaryScalarRight<TOp>(TOp op, ReadOnlySpan<float> a, float b, Span<float> y, int bits = -1) where TOp : struct, IBinaryOp
    {
        if (bits < 0) bits = MaxBits;
        if (y.Length < a.Length) KernelThrow.Argument("Destination of length {0} is shorter than {1}.", y.Length, a.Length);
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float py = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length, i = 0;
        if (bits >= 512)
        {
            var vb = Vector512.Create(b);
            for (; i + 16 <= n; i += 16) op.Invoke(Vector512.LoadUnsafe(ref pa, i), vb).StoreUnsafe(ref py, i);
        }
        if (bits >= 256)
        {
            var vb = Vector256.Create(b);
            for (; i + 8 <= n; i += 8) op.Invoke(Vector256.LoadUnsafe(ref pa, i), vb).StoreUnsafe(ref py, i);
        }
        for (; i < n; i++) Unsafe.Add(ref py, i) = op.Invoke(Unsafe.Add(ref pa, i), b);
    }

    /// <summary>y[i] = op(a, b[i]) for a scalar left operand.</summary>
    public static void BinaryScalarLeft<TOp>(TOp op, float a, ReadOnlySpan<float> b, Span<float> y, int bits = -1) where TOp : struct, IBinaryOp
    {
        if (bits < 0) bits = MaxBits;
        if (y.Length < b.Length) KernelThrow.Argument("Destination of length {0} is shorter than {1}.", y.Length, b.Length);
        ref float pb = ref MemoryMarshal.GetReference(b);
        ref float py = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)b.Length, i = 0;
        if (bits >= 512)
        {
            var va = Vector512.Create(a);
            for (; i + 16 <= n; i += 16) op.Invoke(va, Vector512.LoadUnsafe(ref pb, i)).StoreUnsafe(ref py, i);
        }
        if (bits >= 256)
        {
            var va = Vector256.Create(a);
            for (; i + 8 <= n; i += 8) op.Invoke(va, Vector256.LoadUnsafe(ref pb, i)).StoreUnsafe(ref py, i);
        }
        for (; i < n; i++) Unsafe.Add(ref py, i) = op.Invoke(a, Unsafe.Add(ref pb, i));
    }

    public static void UnaryGrad<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int bits = -1) where TOp : struct, IUnaryGradOp
    {
        if (bits < 0) bits = MaxBits;
        if (x.Length != y.Length || x.Length != dy.Length || dx.Length < x.Length) throw new ArgumentException("Gradient spans differ in length.");
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        ref float pg = ref MemoryMarshal.GetReference(dy);
        ref float pd = ref MemoryMarshal.GetReference(dx);
        nuint n = (nuint)x.Length, i = 0;
        if (bits >= 512)
            for (; i + 16 <= n; i += 16)
                op.Invoke(Vector512.LoadUnsafe(ref px, i), Vector512.LoadUnsafe(ref py, i), Vector512.LoadUnsafe(ref pg, i)).StoreUnsafe(ref pd, i);
        if (bits >= 256)
            for (; i + 8 <= n; i += 8)
                op.Invoke(Vector256.LoadUnsafe(ref px, i), Vector256.LoadUnsafe(ref py, i), Vector256.LoadUnsafe(ref pg, i)).StoreUnsafe(ref pd, i);
        for (; i < n; i++) Unsafe.Add(ref pd, i) = op.Invoke(Unsafe.Add(ref px, i), Unsafe.Add(ref py, i), Unsafe.Add(ref pg, i));
    }
}
