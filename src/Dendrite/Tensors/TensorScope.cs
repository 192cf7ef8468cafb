namespace Dendrite;

/// <summary>
/// A step-scoped arena: tensors created while a scope is open on this thread return their buffers to the pool
/// when it is disposed. Used by the training and prediction loops; anything that must outlive the scope is
/// copied out (or created with <see cref="Tensor.Persistent(Shape)"/>) before disposal.
/// </summary>
internal sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current, _spare;
    private TensorScope? _parent;
    private readonly List<Tensor> _owned = new(256);
    private readonly List<Autodiff.Node> _nodes = new(256);
    private readonly List<Tensor> _views = new(64);
    [ThreadStatic] private static Stack<Tensor>? _free;
    [ThreadStatic] private static Stack<Autodiff.Node>? _freeNodes;
    [ThreadStatic] private static Stack<float[]>?[]? _small;
    private const int MaxFree = 4096, MaxSmallPerLength = 256;
    private bool _disposed;

    private TensorScope() { }

    /// <summary>Opens a scope on this thread (reusing one the thread disposed before: nothing is allocated per step).</summary>
    public static TensorScope Begin()
    {
        // Spares are chained through _parent: a nested scope (an inference lane inside a batch's) reuses its own too.
        var scope = _spare ?? new TensorScope();
        _spare = ReferenceEquals(scope, _spare) ? scope._parent : _spare;
        scope._disposed = false;
        scope._parent = _current;
        _current = scope;
        return scope;
    }

    internal static TensorScope? Current => _current;

    /// <summary>A tensor over a pooled buffer, both given back when the scope ends (the object comes from this thread's
    /// free list, so a steady-state step allocates no tensor objects for its large intermediates).</summary>
    internal Tensor Rent(float[] buffer, Shape shape)
    {
        var free = _free ??= new Stack<Tensor>();
        Tensor t;
        if (free.TryPop(out var reused)) { reused.Reuse(buffer, shape); t = reused; }
        else t = new Tensor(buffer, shape);
        _owned.Add(t);
        return t;
    }

    /// <summary>A tensor object over a buffer this scope does not own (a view: reshape, a reduction's result); the
    /// object is pooled, the buffer is left alone.</summary>
    internal Tensor RentView(float[] buffer, Shape shape)
    {
        var free = _free ??= new Stack<Tensor>();
        Tensor t;
        if (free.TryPop(out var reused)) { reused.Reuse(buffer, shape); t = reused; }
        else t = new Tensor(buffer, shape);
        _views.Add(t);
        return t;
    }

    /// <summary>A tape node that is reset and reused when the scope ends.</summary>
    internal Autodiff.Node RentNode()
    {
        var free = _freeNodes ??= new Stack<Autodiff.Node>();
        var node = free.TryPop(out var reused) ? reused : new Autodiff.Node();
        _nodes.Add(node);
        return node;
    }

    /// <summary>A buffer under <see cref="TensorPool.MinPooledLength"/> floats from this thread's free lists (given back
    /// when the scope ends, with the tensor it is rented for).</summary>
    internal static float[] RentSmall(int length, bool clear)
    {
        var small = _small ??= new Stack<float[]>?[TensorPool.MinPooledLength];
        if (small[length] is { } stack && stack.TryPop(out var arr))
        {
            if (clear) Array.Clear(arr);
            return arr;
        }
        return new float[length];
    }

    private static void ReturnSmall(float[] array)
    {
        var small = _small ??= new Stack<float[]>?[TensorPool.MinPooledLength];
        var stack = small[array.Length] ??= new Stack<float[]>();
        if (stack.Count < MaxSmallPerLength) stack.Push(array);
    }

    /// <summary>Returns every buffer (and tensor object, and tape node) created in this scope to the pool.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var free = _free ??= new Stack<Tensor>();
        var freeNodes = _freeNodes ??= new Stack<Autodiff.Node>();
        foreach (var n in _nodes)
        {
            n.Reset();
            if (freeNodes.Count < MaxFree) freeNodes.Push(n);
        }
        _nodes.Clear();
        foreach (var t in _owned)
        {
            if (t.Data.Length >= TensorPool.MinPooledLength) TensorPool.Return(t.Data);
            else ReturnSmall(t.Data);
            t.Release();
            if (free.Count < MaxFree) free.Push(t);
        }
        _owned.Clear();
        foreach (var t in _views)
        {
            t.Release();
            if (free.Count < MaxFree) free.Push(t);
        }
        _views.Clear();
        _current = _parent;
        _parent = _spare;
        _spare = this;
    }
}
