namespace Dendrite.Data;

/// <summary>
/// An n-dimensional array as files store it: a NumPy-style dtype ("uint8", "float32", "int64", ...), a shape, and the
/// values in their own element type (<c>byte[]</c>, <c>float[]</c>, <c>long[]</c>, ..., <c>object?[]</c> for NumPy object arrays). <see cref="ToTensor"/> converts to float32.
/// </summary>
public sealed class NDArray
{
    /// <summary>Wraps values of a supported element type with a shape.</summary>
    public NDArray(Array data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        long size = shape.Aggregate(1L, (a, d) => a * d);
        if (size != data.Length) throw new ArgumentException($"Shape ({string.Join(", ", shape)}) needs {size} values, the array has {data.Length}.");
        // Exact types: the runtime lets sbyte[] pass as byte[] (and short[] as ushort[], ...), so no "is" patterns here.
        var t = data.GetType();
        DType = t == typeof(byte[]) ? "uint8" : t == typeof(sbyte[]) ? "int8" : t == typeof(short[]) ? "int16"
            : t == typeof(ushort[]) ? "uint16" : t == typeof(int[]) ? "int32" : t == typeof(uint[]) ? "uint32"
            : t == typeof(long[]) ? "int64" : t == typeof(ulong[]) ? "uint64" : t == typeof(float[]) ? "float32"
            : t == typeof(double[]) ? "float64" : t == typeof(bool[]) ? "bool" : t == typeof(object[]) ? "object"
            : throw new ArgumentException($"Unsupported element type {t.GetElementType()?.Name}.");
        Data = data;
        Shape = shape;
    }

    /// <summary>The element type as NumPy names it.</summary>
    public string DType { get; }

    /// <summary>The dimensions.</summary>
    public int[] Shape { get; }

    /// <summary>The values, row-major, in their own element type.</summary>
    public Array Data { get; }

    /// <summary>Number of values.</summary>
    public int Length => Data.Length;

    /// <summary>The values converted to float32, as a tensor of the same shape (not for dtype "object").</summary>
    public Tensor ToTensor()
    {
        if (DType == "object") throw new NotSupportedException("An object array (Python objects such as lists) has no float32 tensor form; read its Data.");
        var f = new float[Length];
        switch (DType)
        {
            case "float32": ((float[])Data).CopyTo(f, 0); break;
            case "uint8": { var a = (byte[])Data; for (int i = 0; i < a.Length; i++) f[i] = a[i]; break; }
            case "int8": { var a = (sbyte[])Data; for (int i = 0; i < a.Length; i++) f[i] = a[i]; break; }
            case "int16": { var a = (short[])Data; for (int i = 0; i < a.Length; i++) f[i] = a[i]; break; }
            case "uint16": { var a = (ushort[])Data; for (int i = 0; i < a.Length; i++) f[i] = a[i]; break; }
            case "int32": { var a = (int[])Data; for (int i = 0; i < a.Length; i++) f[i] = a[i]; break; }
            case "uint32": { var a = (uint[])Data; for (int i = 0; i < a.Length; i++) f[i] = a[i]; break; }
            case "int64": { var a = (long[])Data; for (int i = 0; i < a.Length; i++) f[i] = a[i]; break; }
            case "uint64": { var a = (ulong[])Data; for (int i = 0; i < a.Length; i++) f[i] = a[i]; break; }
            case "float64": { var a = (double[])Data; for (int i = 0; i < a.Length; i++) f[i] = (float)a[i]; break; }
            default: { var a = (bool[])Data; for (int i = 0; i < a.Length; i++) f[i] = a[i] ? 1f : 0f; break; }
        }
        var t = Tensor.FromArray(f, Shape.Length == 0 ? [] : Shape);
        // Integers and booleans convert to finite floats: Fit need not scan them (see Tensor.MarkedFinite).
        return DType is "float32" or "float64" ? t : t.MarkedFinite();
    }

    /// <summary>A float32 array from a tensor.</summary>
    public static NDArray FromTensor(Tensor t) => new(t.ToArray(), t.Shape.ToArray());

    /// <inheritdoc/>
    public override string ToString() => $"NDArray({DType}, ({string.Join(", ", Shape)}))";
}
