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
    [ThreadStatic] private static Stack<Tensor>? _free;
    private const int MaxFree = 4096;
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

    /// <summary>Returns every buffer (and tensor object) created in this scope to the pool.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var free = _free ??= new Stack<Tensor>();
        foreach (var t in _owned)
        {
            TensorPool.Return(t.Data);
            t.Release();
            if (free.Count < MaxFree) free.Push(t);
        }
        _owned.Clear();
        _current = _parent;
        _parent = _spare;
        _spare = this;
    }
}
