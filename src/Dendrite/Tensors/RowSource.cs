namespace Dendrite;

/// <summary>
/// Where the rows of an inference input tensor really are: rows [Row, Row + rows) of <see cref="Source"/>. The model
/// gives a lane's input this instead of a copy of its rows when every layer that reads the input reads rows in place
/// (<see cref="Ops.Dense"/>); anything else that needs the values calls <see cref="Materialize"/> first. Reused per
/// thread and input (no allocation per batch).
/// </summary>
internal sealed class RowSource
{
    public Tensor? Source;
    public int Row;

    /// <summary>Copies the rows into <paramref name="t"/> and forgets them: the tensor then holds its values itself.</summary>
    public static void Materialize(Tensor t)
    {
        if (t.SourceRows is not { Source: { } source } s) return;
        int width = t.Shape[0] == 0 ? 0 : t.Size / t.Shape[0];
        source.Data.AsSpan(s.Row * width, t.Size).CopyTo(t.Data);
        t.SourceRows = null;
    }
}
