using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>A float32 tensor from doubles (rounded to float32), with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(double[] data, params int[] shape) => FromConverted(Flat<double>(data), shape, "double[]");

    /// <summary>A float32 tensor from int32 values (labels, counts), with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(int[] data, params int[] shape) => FromConverted(Flat<int>(data), shape, "int[]");

    /// <summary>A float32 tensor from int64 values (NumPy's default integers), with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(long[] data, params int[] shape) => FromConverted(Flat<long>(data), shape, "long[]");

    /// <summary>A float32 tensor from bytes (e.g. 0..255 pixels, not rescaled), with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(byte[] data, params int[] shape) => FromConverted(Flat<byte>(data), shape, "byte[]");

    /// <summary>A rank-2 float32 tensor from a 2-D array of doubles.</summary>
    public static Tensor FromArray(double[,] data) => FromConverted(Flat<double>(data), Dims(data), "double[,]");

    /// <summary>A rank-2 float32 tensor from a 2-D array of int32 values.</summary>
    public static Tensor FromArray(int[,] data) => FromConverted(Flat<int>(data), Dims(data), "int[,]");

    /// <summary>A rank-2 float32 tensor from a 2-D array of int64 values.</summary>
    public static Tensor FromArray(long[,] data) => FromConverted(Flat<long>(data), Dims(data), "long[,]");

    /// <summary>A rank-2 float32 tensor from a 2-D array of bytes.</summary>
    public static Tensor FromArray(byte[,] data) => FromConverted(Flat<byte>(data), Dims(data), "byte[,]");

    /// <summary>A rank-2 tensor from a jagged array of doubles; every row must have the same length.</summary>
    public static Tensor FromArray(double[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return FromArray(Array.ConvertAll(rows, static r => r is null ? null! : Array.ConvertAll(r, static v => (float)v)));
    }

    /// <summary>A rank-2 tensor from rows (a <c>List&lt;float[]&gt;</c>, a LINQ query, ...); every row must have the same length.</summary>
    public static Tensor FromArray(IEnumerable<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return FromArray(rows as float[][] ?? rows.ToArray());
    }

    private static int[] Dims(Array data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return [data.GetLength(0), data.GetLength(1)];
    }

    private static ReadOnlySpan<T> Flat<T>(Array data) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Length == 0 ? default
            : MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(data)), data.Length);
    }

    private static Tensor FromConverted<T>(ReadOnlySpan<T> data, int[] shape, string what) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        Shape s = shape.Length == 0 ? new Shape(data.Length) : new Shape(shape);
        if (s.Size != data.Length)
            throw new ArgumentException($"Shape {s} needs {s.Size} elements, but the {what} has {data.Length}.", nameof(shape));
        var t = new Tensor(new float[data.Length], s);
        System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<T, float>(data, t.Data);   // (float)v, vectorised
        // Integers convert to finite floats (the largest long is ~9.2e18); doubles may be NaN or overflow.
        bool integers = typeof(T) == typeof(byte) || typeof(T) == typeof(int) || typeof(T) == typeof(long);
        return integers ? t.MarkedFinite() : t;
    }
}
