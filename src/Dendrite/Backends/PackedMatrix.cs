namespace Dendrite.Backends;

/// <summary>
/// A right-hand matrix operand copied by a backend into the layout it multiplies fastest, for many products with the
/// same values (a layer's weights during prediction). It is a snapshot: later changes to the source are not seen.
/// Dispose it (or let the finalizer) to release its memory.
/// </summary>
public abstract class PackedMatrix : IDisposable
{
    private int _disposed;

    /// <summary>Creates the handle of a (rows, columns) operand.</summary>
    protected PackedMatrix(int rows, int columns)
    {
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Rows of the operand (the shared dimension of the product).</summary>
    public int Rows { get; }

    /// <summary>Columns of the operand (of the product).</summary>
    public int Columns { get; }

    /// <summary>Releases the packed copy.</summary>
    protected abstract void Free();

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the packed copy if Dispose was not called.</summary>
    ~PackedMatrix()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Free();
    }
}
