namespace Dendrite.Saving;

/// <summary>An HDF5 dataset held in memory: its shape (empty for a scalar) and float32 or int64 values, row-major.</summary>
public sealed class HdfArray
{
    /// <summary>A float32 dataset.</summary>
    public HdfArray(int[] shape, float[] values) : this(shape, values, null) { }

    /// <summary>An int64 dataset.</summary>
    public HdfArray(int[] shape, long[] values) : this(shape, null, values) { }

    private HdfArray(int[] shape, float[]? floats, long[]? longs)
    {
        Shape = shape;
        Floats = floats;
        Longs = longs;
        long n = 1;
        foreach (int d in shape) n *= d;
        if (n != (floats?.Length ?? longs!.Length))
            throw new ArgumentException($"A dataset of shape ({string.Join(", ", shape)}) needs {n} values, got {floats?.Length ?? longs!.Length}.");
    }

    /// <summary>The dimensions (empty: a scalar).</summary>
    public int[] Shape { get; }

    /// <summary>The values when the dataset is float32.</summary>
    public float[]? Floats { get; }

    /// <summary>The values when the dataset is int64.</summary>
    public long[]? Longs { get; }

    /// <summary>The values as float32 (int64 values converted).</summary>
    public float[] AsFloats() => Floats ?? Longs!.Select(v => (float)v).ToArray();

    /// <summary>The shape as Keras prints it.</summary>
    public override string ToString() => $"({string.Join(", ", Shape)})";
}
