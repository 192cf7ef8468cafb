namespace Dendrite.Models;

/// <summary>
/// One step's batch: the given rows of each array gathered into scoped tensors, held in an array that is reused from
/// step to step (the tensors themselves belong to the step's <see cref="TensorScope"/>).
/// </summary>
internal sealed class StepRows
{
    private Tensor[] _batch = [];

    /// <summary>The rows of every array (valid until the next call).</summary>
    public Tensor[] Gathered(IReadOnlyList<Tensor> arrays, ReadOnlySpan<int> rows)
    {
        if (_batch.Length != arrays.Count) _batch = new Tensor[arrays.Count];
        for (int i = 0; i < arrays.Count; i++) _batch[i] = Gather(arrays[i], rows);
        return _batch;
    }

    /// <summary>The given rows (first axis) of x in a new scoped tensor.</summary>
    public static Tensor Gather(Tensor x, ReadOnlySpan<int> rows)
    {
        var y = Tensor.Empty(x.Shape.With(0, rows.Length));
        Ops.Direct.GatherRows(x, rows, y);
        return y;
    }
}
