using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>A tensor over a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        Shape s = shape.Length == 0 ? new Shape(data.Length) : new Shape(shape);
        if (s.Size != data.Length)
            throw new ArgumentException($"Shape {s} needs {s.Size} elements, but the array has {data.Length}.", nameof(shape));
        return new Tensor((float[])data.Clone(), s);
    }

    /// <summary>A tensor copied from a span, with the given shape.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> data, Shape shape)
    {
        if (shape.Size != data.Length)
            throw new ArgumentException($"Shape {shape} needs {shape.Size} elements, but the span has {data.Length}.", nameof(shape));
        return new Tensor(data.ToArray(), shape);
    }

    /// <summary>A rank-2 tensor copied from a 2-D array.</summary>
    public static Tensor FromArray(float[,] data) => FromMulti(data, [data.GetLength(0), data.GetLength(1)]);

    /// <summary>A rank-3 tensor copied from a 3-D array.</summary>
    public static Tensor FromArray(float[,,] data) => FromMulti(data, [data.GetLength(0), data.GetLength(1), data.GetLength(2)]);

    /// <summary>A rank-4 tensor copied from a 4-D array (e.g. NHWC images).</summary>
    public static Tensor FromArray(float[,,,] data) =>
        FromMulti(data, [data.GetLength(0), data.GetLength(1), data.GetLength(2), data.GetLength(3)]);

    private static Tensor FromMulti(Array data, int[] shape)
    {
        var t = new Tensor(new float[data.Length], new Shape(shape));
        if (data.Length > 0)
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(data)), data.Length).CopyTo(t.Data);
        return t;
    }

    /// <summary>A rank-2 tensor from a jagged array; every row must have the same length.</summary>
    public static Tensor FromArray(float[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int cols = rows.Length == 0 ? 0 : rows[0]?.Length ?? 0;
        var t = new Tensor(new float[rows.Length * cols], new Shape(rows.Length, cols));
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null) throw new ArgumentException($"Row {i} of the jagged array is null.", nameof(rows));
            if (rows[i].Length != cols)
                throw new ArgumentException($"Row {i} has {rows[i].Length} elements; row 0 has {cols}. A jagged array must be rectangular.", nameof(rows));
            rows[i].CopyTo(t.Data, i * cols);
        }
        return t;
    }

    /// <summary>A copy of a <see cref="System.Numerics.Tensors.Tensor{T}"/>.</summary>
    public static Tensor FromArray(System.Numerics.Tensors.Tensor<float> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var lengths = tensor.Lengths;
        var shape = new int[lengths.Length];
        for (int i = 0; i < shape.Length; i++) shape[i] = checked((int)lengths[i]);
        var t = new Tensor(new float[new Shape(shape).Size], new Shape(shape));
        tensor.FlattenTo(t.Data);
        return t;
    }

    /// <summary>A copy as a <see cref="System.Numerics.Tensors.Tensor{T}"/>.</summary>
    public System.Numerics.Tensors.Tensor<float> ToSystemTensor()
    {
        var lengths = new nint[Rank];
        for (int i = 0; i < Rank; i++) lengths[i] = Shape[i];
        return System.Numerics.Tensors.Tensor.Create(ToArray(), lengths);
    }

    /// <summary>A rank-0 tensor holding one value.</summary>
    public static Tensor Scalar(float value) => new([value], Shape.Scalar);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(Shape shape) => new(new float[shape.Size], shape);

    /// <summary>A new tensor every element of which the caller writes next: a large one has its pages mapped in one call
    /// (<see cref="Backends.Cpu.FreshPages"/>). <see cref="Zeros(Shape)"/> leaves them to the first write, so a zero
    /// tensor that is written sparsely takes only the memory it touches.</summary>
    private static Tensor Filled(Shape shape) => new(Backends.Cpu.FreshPages.NewArray(shape.Size, clear: false), shape);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(Shape shape) => Full(shape, 1f);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(Shape shape, float value)
    {
        var t = Filled(shape);
        t.AsSpan().Fill(value);
        return t;
    }

    /// <summary>Values start, start+step, ... below stop (NumPy arange).</summary>
    public static Tensor Arange(float start, float stop, float step = 1f)
    {
        if (step == 0f) throw new ArgumentException("Arange step must not be zero.", nameof(step));
        int n = Math.Max(0, (int)Math.Ceiling((stop - start) / (double)step));
        var t = new Tensor(new float[n], new Shape(n));
        for (int i = 0; i < n; i++) t.Data[i] = (float)(start + i * (double)step);
        return t;
    }

    /// <summary>Values 0, 1, ..., stop-1.</summary>
    public static Tensor Arange(int stop) => Arange(0f, stop);

    /// <summary><paramref name="num"/> evenly spaced values from start to stop inclusive (NumPy linspace).</summary>
    public static Tensor Linspace(float start, float stop, int num)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(num);
        var t = new Tensor(new float[num], new Shape(num));
        double step = num > 1 ? (stop - (double)start) / (num - 1) : 0;
        for (int i = 0; i < num; i++) t.Data[i] = (float)(start + i * step);
        if (num > 1) t.Data[num - 1] = stop;
        return t;
    }

    /// <summary>The n x m identity-like matrix (ones on the main diagonal).</summary>
    public static Tensor Eye(int n, int? m = null)
    {
        int cols = m ?? n;
        var t = new Tensor(new float[n * cols], new Shape(n, cols));
        for (int i = 0; i < Math.Min(n, cols); i++) t.Data[i * cols + i] = 1f;
        return t;
    }

    /// <summary>A tensor of the same shape filled with zeros.</summary>
    public static Tensor ZerosLike(Tensor t) => Zeros(t.Shape);

    /// <summary>A tensor of the same shape filled with ones.</summary>
    public static Tensor OnesLike(Tensor t) => Ones(t.Shape);
}
