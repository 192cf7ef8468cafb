using Dendrite.Autodiff;

namespace Dendrite;

/// <summary>
/// A dense, row-major, n-dimensional float32 tensor that can take part in automatic differentiation.
/// Create one with <see cref="FromArray(float[], int[])"/>, <see cref="Zeros(Shape)"/> and friends; compute with
/// <see cref="Ops"/> or the arithmetic operators.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>The backing buffer; at least <see cref="Size"/> long, shared by reshaped views.</summary>
    internal float[] Data;

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; private set; }

    /// <summary>Number of elements.</summary>
    public int Size { get; private set; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>The element type; float32 for now.</summary>
    public DType DType => DType.Float32;

    /// <summary>An optional name (weights carry theirs, e.g. <c>dense/kernel</c>).</summary>
    public string? Name { get; set; }

    internal Tensor(float[] data, Shape shape)
    {
        int size = shape.Size;
        if (data.Length < size)
            throw new ArgumentException($"A buffer of {data.Length} floats cannot hold shape {shape} ({size} elements).");
        Data = data;
        Shape = shape;
        Size = size;
    }

    /// <summary>A tensor whose contents are arbitrary; its buffer comes from the pool when a scope is open.</summary>
    internal static Tensor Empty(Shape shape) => Allocate(shape, clear: false);

    /// <summary>A zero-filled tensor; its buffer comes from the pool when a scope is open.</summary>
    internal static Tensor ZerosScoped(Shape shape) => Allocate(shape, clear: true);

    private static Tensor Allocate(Shape shape, bool clear)
    {
        int size = shape.Size;
        var scope = TensorScope.Current;
        if (scope is null) return new Tensor(Backends.Cpu.FreshPages.NewArray(size, clear), shape);
        // A pooled buffer is dead once the scope ends, and so is its tensor: the object is pooled with it (small
        // buffers come from the thread's own free lists, large ones from the shared pool).
        var buf = size >= TensorPool.MinPooledLength ? TensorPool.Rent(size, clear) : TensorScope.RentSmall(size, clear);
        return scope.Rent(buf, shape);
    }

    /// <summary>Another tensor over <paramref name="data"/> (a view: same buffer, another shape); the object is pooled by
    /// the open scope, if any.</summary>
    internal static Tensor View(float[] data, Shape shape) =>
        TensorScope.Current is { } scope ? scope.RentView(data, shape) : new Tensor(data, shape);

    /// <summary>A view of <paramref name="source"/>'s buffer with another shape that shares its <see cref="Version"/>:
    /// a write through the view moves the source's version too (and the reverse).</summary>
    internal static Tensor ViewOf(Tensor source, Shape shape)
    {
        var view = View(source.Data, shape);
        view._versionRoot = source._versionRoot ?? source;
        return view;
    }

    /// <summary>Gives a pooled tensor object its next life (a scope's rented tensor).</summary>
    internal void Reuse(float[] data, Shape shape)
    {
        _versionRoot = null;
        Data = data;
        Shape = shape;
        Size = shape.Size;
    }

    /// <summary>Drops everything a pooled tensor object refers to (at the end of its scope).</summary>
    internal void Release()
    {
        Data = [];
        Shape = default;
        Size = 0;
        Node = null;
        _requiresGrad = false;
        Grad = null;
        GradAccum = null;
        GradIsStale = false;
        SourceLogits = null;
        SourceEmbedding = null;
        SourceRows = null;
        Name = null;
        _versionRoot = null;
    }

    /// <summary>A zero-filled tensor that is never returned to the pool, even inside a scope (weights, gradients, state).</summary>
    internal static Tensor Persistent(Shape shape) => new(Backends.Cpu.FreshPages.NewArray(shape.Size, clear: true), shape);

    /// <summary>A zero-filled persistent tensor allocated ahead of its first use, whose pages an idle worker maps
    /// meanwhile (<see cref="Backends.Cpu.FreshPages.MapSoon"/>), its start apart from <paramref name="apartFrom"/>'s
    /// modulo 4 KB (<see cref="Backends.Cpu.ApartArrays"/>).</summary>
    internal static Tensor PersistentMappedSoon(Shape shape, ReadOnlySpan<float[]?> apartFrom = default)
    {
        var data = Backends.Cpu.ApartArrays.NewArray(shape.Size, apartFrom);
        Backends.Cpu.FreshPages.MapSoon(data);
        return new(data, shape);
    }

    /// <summary>The elements as a span over the backing buffer (row-major). The span can write, so the tensor's
    /// <see cref="Version"/> moves on.</summary>
    public Span<float> AsSpan()
    {
        MarkWritten();
        return Data.AsSpan(0, Size);
    }

    private int _version;

    /// <summary>The tensor whose version this one shares, when it is a view of another's buffer (<see cref="Detach"/>,
    /// <see cref="Ops.Reshape(Tensor, Shape)"/>); null when it keeps its own.</summary>
    private Tensor? _versionRoot;

    /// <summary>
    /// Changes whenever the values may have been written: by <see cref="AsSpan"/> (the public writable view) or the
    /// indexer's setter, and by internal writers through <see cref="MarkWritten"/> (optimizer steps). Caches derived from
    /// a weight's values (packed panels for prediction) keep the version they were made from and are rebuilt when it moved.
    /// Views of one buffer made by <see cref="Detach"/> and <see cref="Ops.Reshape(Tensor, Shape)"/> share one version.
    /// </summary>
    internal int Version => Volatile.Read(ref (_versionRoot ?? this)._version);

    /// <summary>Moves <see cref="Version"/> on after the values were written through <see cref="Data"/>.</summary>
    internal void MarkWritten() => Interlocked.Increment(ref (_versionRoot ?? this)._version);

    /// <summary>The <see cref="Version"/> at which every value was last found finite (<c>DataSet.CheckFinite</c>) or known
    /// finite by construction (<see cref="MarkedFinite"/>), or -1.</summary>
    private int _finiteAt = -1;

    /// <summary>Whether every value was found finite and nothing has been written since (see <see cref="Version"/>).</summary>
    internal bool KnownFinite => Volatile.Read(ref _finiteAt) == Version;

    /// <summary>Records that every value was finite at <paramref name="version"/> (taken before the scan: a write during
    /// it moves the version on, and the next check scans again).</summary>
    internal void NoteFinite(int version) => Volatile.Write(ref _finiteAt, version);

    /// <summary>Marks a tensor the library just filled with values finite by construction (random draws between finite
    /// bounds, one-hot rows, converted integers) as found finite, so <c>Fit</c> does not scan it (W2's 31 MB of
    /// uniform inputs: 3-5 ms of its first epoch). A write through <see cref="AsSpan"/> moves the version on as usual.</summary>
    internal Tensor MarkedFinite()
    {
        NoteFinite(Version);
        return this;
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Item() needs a tensor with one element, this one has shape {Shape}.");
        return Data[0];
    }

    /// <summary>Gets or sets one element by its indices (negative indices count from the end).</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params int[] indices]
    {
        get => Data[FlatIndex(indices)];
        set
        {
            Data[FlatIndex(indices)] = value;
            MarkWritten();
        }
    }

    private int FlatIndex(int[] indices)
    {
        if (indices.Length != Rank)
            throw new ArgumentException($"Expected {Rank} indices for shape {Shape}, got {indices.Length}.");
        int flat = 0;
        for (int i = 0; i < Rank; i++)
        {
            int d = Shape[i], ix = indices[i] < 0 ? indices[i] + d : indices[i];
            if (ix < 0 || ix >= d) throw new IndexOutOfRangeException($"Index {indices[i]} is out of range for axis {i} of shape {Shape}.");
            flat = flat * d + ix;
        }
        return flat;
    }

    /// <summary>A copy of the elements, row-major.</summary>
    public float[] ToArray() => AsSpan().ToArray();

    /// <summary>A copy of a rank-2 tensor as a 2-D array.</summary>
    public float[,] ToArray2D()
    {
        if (Rank != 2) throw new InvalidOperationException($"ToArray2D needs a rank-2 tensor, this one has shape {Shape}.");
        var r = new float[Shape[0], Shape[1]];
        AsSpan().CopyTo(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref r[0, 0], Size));
        return r;
    }

    /// <summary>A deep copy that does not take part in autodiff.</summary>
    public Tensor Clone()
    {
        var t = new Tensor(new float[Size], Shape);
        AsSpan().CopyTo(t.Data);
        return t;
    }

    internal Node? Node { get; set; }
}
