using Dendrite.Autodiff;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// Rows of a (vocabulary, width) table picked by token ids (floats holding whole numbers): shape ids.shape + (width,).
    /// The gradient is a scatter-add of the output's gradient rows into the table's gradient (repeated ids add up).
    /// </summary>
    public static Tensor Embedding(Tensor table, Tensor ids)
    {
        if (table.Rank != 2) throw new ArgumentException($"Embedding: the table must be (vocabulary, width), got {table.Shape}.");
        var span = ids.AsSpan();
        for (int i = 0; i < span.Length; i++)
            if (!(span[i] >= 0 && span[i] < table.Shape[0]) || span[i] != MathF.Floor(span[i]))
                throw new ArgumentException($"Embedding: id {span[i]} at position {i} is outside [0, {table.Shape[0]}).", nameof(ids));
        var y = Tensor.Empty(ids.Shape.Append(table.Shape[1]));
        B.EmbeddingLookup(table, ids, y);
        if (!GradMode.IsEnabled || !table.RequiresGrad)
        {
            var idsCopy = Tensor.Empty(ids.Shape);
            span.CopyTo(idsCopy.AsSpan());
            y.SourceEmbedding = new EmbeddingSource(table, idsCopy);
        }
        if (Tape.Record(y, "embedding", EmbeddingBackward, table) is { } node) node.T0 = ids;
        return y;
    }

    private static void EmbeddingBackward(Node node, Tensor g)
    {
        Tensor table = node.Input(0)!, ids = node.T0!;
        if (table.IsLeaf && table.Grad is { } grad && grad.Shape == table.Shape)
        {
            // Scattered straight into the gradient buffer (cleared first when it holds an old gradient).
            if (table.GradIsStale) grad.AsSpan().Clear();
            B.EmbeddingGrad(g, ids, grad);
            table.GradIsStale = false;
            return;
        }
        var d = Tensor.ZerosScoped(table.Shape);
        B.EmbeddingGrad(g, ids, d);
        node.SetGrad(0, d);
    }
}
