using Dendrite.Autodiff;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// Index select (NumPy <c>take</c>): picks entries of <paramref name="x"/> along <paramref name="axis"/>.
    /// Used for mini-batches (rows) and embeddings; negative indices count from the end; repeated indices add gradients.
    /// </summary>
    public static Tensor Gather(Tensor x, int[] indices, int axis = 0) => Gather(x, indices, [indices.Length], axis);

    /// <summary>Index select with an index tensor (whole-number floats); the result has shape x.shape[:axis] + indices.shape + x.shape[axis+1:].</summary>
    public static Tensor Gather(Tensor x, Tensor indices, int axis = 0)
    {
        var ix = new int[indices.Size];
        for (int i = 0; i < ix.Length; i++)
        {
            float v = indices.Data[i];
            if (v != MathF.Floor(v)) throw new ArgumentException($"Gather: index {v} at position {i} is not a whole number.");
            ix[i] = (int)v;
        }
        return Gather(x, ix, indices.Shape, axis);
    }

    private static Tensor Gather(Tensor x, int[] indices, Shape indexShape, int axis)
    {
        int a = x.Shape.NormalizeAxis(axis), d = x.Shape[a];
        var ix = new int[indices.Length];
        for (int i = 0; i < ix.Length; i++)
        {
            int v = indices[i] < 0 ? indices[i] + d : indices[i];
            if (v < 0 || v >= d) throw new IndexOutOfRangeException($"Gather: index {indices[i]} is out of range for axis {axis} of length {d} (shape {x.Shape}).");
            ix[i] = v;
        }
        var dims = x.Shape.ToArray();
        // dims[..a], then the index shape, then dims[(a + 1)..] (copies, not Enumerable.Concat: Evaluate and Predict
        // gather every batch, and Concat<int>'s iterator is compiled at its first call in a fresh process).
        var ixDims = indexShape.ToArray();
        var outDims = new int[dims.Length - 1 + ixDims.Length];
        dims.AsSpan(0, a).CopyTo(outDims);
        ixDims.CopyTo(outDims.AsSpan(a));
        dims.AsSpan(a + 1).CopyTo(outDims.AsSpan(a + ixDims.Length));
        var y = Tensor.Empty(outDims);
        B.Gather(x, ix, a, y);
        return Tape.Record(y, "gather", x, g =>
        {
            var dx = Tensor.ZerosScoped(x.Shape);
            B.ScatterAdd(g, ix, a, dx);
            return [dx];
        });
    }

    /// <summary>One-hot rows: shape (n, depth) with a 1 at each label.</summary>
    public static Tensor OneHot(int[] labels, int depth)
    {
        var y = Tensor.Zeros([labels.Length, depth]);
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= depth) throw new ArgumentOutOfRangeException(nameof(labels), $"OneHot: label {labels[i]} at position {i} is outside 0..{depth - 1}.");
            y.Data[i * depth + labels[i]] = 1f;
        }
        return y.MarkedFinite();
    }

    /// <summary>One-hot encoding of a tensor of whole-number labels: shape indices.shape + (depth,).</summary>
    public static Tensor OneHot(Tensor labels, int depth)
    {
        var ix = new int[labels.Size];
        for (int i = 0; i < ix.Length; i++) ix[i] = (int)labels.Data[i];
        var flat = OneHot(ix, depth);
        return new Tensor(flat.Data, [.. labels.Shape.ToArray(), depth]).MarkedFinite();
    }
}
