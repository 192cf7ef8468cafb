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
    private readonly List<float[]> _owned = new(256);
    private bool _disposed;

    private TensorScope() { }

    /// <summary>Opens a scope on this thread (reusing the thread's last disposed scope: nothing is allocated per step).</summary>
    public static TensorScope Begin()
    {
        var scope = _spare ?? new TensorScope();
        _spare = null;
        scope._disposed = false;
        scope._parent = _current;
        _current = scope;
        return scope;
    }

    internal static TensorScope? Current => _current;

    internal void Track(float[] buffer)
    {
        if (buffer.Length >= TensorPool.MinPooledLength) _owned.Add(buffer);
    }

    /// <summary>Returns every buffer created in this scope to the pool.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var b in _owned) TensorPool.Return(b);
        _owned.Clear();
        _current = _parent;
        _parent = null;
        _spare = this;
    }
}
