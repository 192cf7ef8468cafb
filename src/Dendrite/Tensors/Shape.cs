using System.Collections;
using System.Runtime.CompilerServices;

namespace Dendrite;

/// <summary>The dimensions of a tensor, outermost first (row-major). Immutable; compares by value.</summary>
[CollectionBuilder(typeof(Shape), nameof(Create))]
public readonly struct Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private readonly int[]? _dims;

    /// <summary>Creates a shape from its dimensions; each must be non-negative.</summary>
    public Shape(params ReadOnlySpan<int> dims)
    {
        foreach (int d in dims)
            if (d < 0) throw new ArgumentException($"Shape dimensions must be non-negative, got ({string.Join(", ", dims.ToArray())}).", nameof(dims));
        _dims = Interned(dims);
    }

    // The dimension arrays of recently made shapes, per thread: a shape is immutable, so equal shapes can share one
    // array, and a training step that makes the same shapes every time allocates none.
    [ThreadStatic] private static int[]?[]? _interned;

    private static int[] Interned(ReadOnlySpan<int> dims)
    {
        if (dims.Length == 0) return [];
        var table = _interned ??= new int[]?[256];
        uint h = (uint)dims.Length;
        foreach (int d in dims) h = (h ^ (uint)d) * 0x9E3779B1u;
        ref var slot = ref table[h >> 24];
        if (slot is { } hit && dims.SequenceEqual(hit)) return hit;
        return slot = dims.ToArray();
    }

    /// <summary>Collection-expression builder: <c>Shape s = [2, 3];</c>.</summary>
    public static Shape Create(ReadOnlySpan<int> dims) => new(dims);

    /// <summary>The empty shape of a scalar.</summary>
    public static Shape Scalar => new([]);

    internal ReadOnlySpan<int> Dims => _dims ?? [];

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims?.Length ?? 0;

    /// <inheritdoc/>
    public int Count => Rank;

    /// <summary>Total number of elements (product of the dimensions; 1 for a scalar).</summary>
    public int Size
    {
        get
        {
            long n = 1;
            foreach (int d in Dims) n *= d;
            if (n > int.MaxValue) throw new OverflowException($"Shape {this} has more than {int.MaxValue} elements.");
            return (int)n;
        }
    }

    /// <summary>The dimension at <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => Dims[NormalizeAxis(axis)];

    /// <summary>The dimension at an index from the start or the end (<c>shape[^1]</c>).</summary>
    public int this[Index axis] => Dims[axis.GetOffset(Rank)];

    /// <summary>Turns a possibly negative axis into 0..Rank-1, or throws naming the shape.</summary>
    public int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for shape {this} of rank {Rank}.");
        return a;
    }

    /// <summary>Row-major strides in elements.</summary>
    public int[] Strides()
    {
        var s = new int[Rank];
        int acc = 1;
        for (int i = Rank - 1; i >= 0; i--) { s[i] = acc; acc *= Dims[i]; }
        return s;
    }

    /// <summary>This shape with one more trailing dimension.</summary>
    internal Shape Append(int dim)
    {
        Span<int> d = stackalloc int[Rank + 1];
        Dims.CopyTo(d);
        d[^1] = dim;
        return new Shape(d);
    }

    /// <summary>The dimensions as a new array.</summary>
    public int[] ToArray() => Dims.ToArray();

    /// <summary>A copy with the dimension at <paramref name="axis"/> replaced.</summary>
    public Shape With(int axis, int value)
    {
        Span<int> d = stackalloc int[Rank];
        Dims.CopyTo(d);
        d[NormalizeAxis(axis)] = value;
        return new Shape(d);
    }

    /// <summary>Implicit conversion from an array of dimensions.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);

    /// <inheritdoc/>
    public bool Equals(Shape other) => Dims.SequenceEqual(other.Dims);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);
    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (int d in Dims) h.Add(d);
        return h.ToHashCode();
    }
    /// <summary>Value equality.</summary>
    public static bool operator ==(Shape a, Shape b) => a.Equals(b);
    /// <summary>Value inequality.</summary>
    public static bool operator !=(Shape a, Shape b) => !a.Equals(b);

    /// <summary>Python-like text: <c>(2, 3)</c>, <c>(5,)</c>, <c>()</c>.</summary>
    public override string ToString() => Rank == 1 ? $"({Dims[0]},)" : $"({string.Join(", ", Dims.ToArray())})";

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)(_dims ?? [])).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The NumPy broadcast of two shapes, or an exception naming both.</summary>
    public static Shape Broadcast(Shape a, Shape b)
    {
        if (a == b) return a;
        int rank = Math.Max(a.Rank, b.Rank);
        Span<int> r = stackalloc int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a.Dims[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b.Dims[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"Shapes {a} and {b} do not broadcast: dimension {i} is {da} vs {db}.");
            r[i] = da == 1 ? db : da;
        }
        return new Shape(r);
    }
}
