using Dendrite.Autodiff;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// Matrix product over the last two axes: (..., m, k) x (k, n), (m, k) x (b..., k, n), or batched
    /// (b..., m, k) x (b..., k, n) with equal batch axes.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (a.Rank < 2 || b.Rank < 2)
            throw new ArgumentException($"MatMul needs tensors of rank 2 or more, got shapes {a.Shape} and {b.Shape}.");
        int k = a.Shape[^1];
        if (b.Shape[^2] != k)
            throw new ArgumentException($"MatMul: shapes {a.Shape} and {b.Shape} are not aligned: {k} (last axis of the first) != {b.Shape[^2]} (second-to-last of the second).");
        int m = a.Shape[^2], n = b.Shape[^1];
        if (b.Rank == 2)
        {
            // Fold a's batch axes into its rows: one GEMM.
            int rows = a.Size / Math.Max(k, 1);
            if (k == 0) rows = a.Shape.ToArray()[..^1].Aggregate(1, (x, y) => x * y);
            var y = Gemm(a, false, 0, b, false, 0, rows, n, k, 1, [.. a.Shape.ToArray()[..^1], n]);
            return Tape.Record(y, "matmul", a, b, g =>
                [a.RequiresGrad ? Gemm(g, false, 0, b, true, 0, rows, k, n, 1, a.Shape) : null,
                 b.RequiresGrad ? LeafGradient(b, grad => GemmInto(a, true, 0, g, false, 0, k, n, rows, 1, grad.Tensor, grad.Beta),
                                               () => Gemm(a, true, 0, g, false, 0, k, n, rows, 1, b.Shape)) : null]);
        }
        var batchA = a.Shape.ToArray()[..^2];
        var batchB = b.Shape.ToArray()[..^2];
        if (a.Rank != 2 && !batchA.SequenceEqual(batchB))
            throw new ArgumentException($"MatMul: batch axes of {a.Shape} and {b.Shape} differ; batched products need equal batch axes (or a 2-D operand).");
        int batch = batchB.Aggregate(1, (x, y) => x * y);
        int sa = a.Rank == 2 ? 0 : m * k, sb = k * n;
        var outShape = new Shape([.. batchB, m, n]);
        var c = Gemm(a, false, sa, b, false, sb, m, n, k, batch, outShape);
        return Tape.Record(c, "matmul", a, b, g =>
            // With a shared (2-D) a, dA comes out per batch and is summed back to (m, k) centrally.
            [a.RequiresGrad ? Gemm(g, false, m * n, b, true, sb, m, k, n, batch, [.. batchB, m, k]) : null,
             b.RequiresGrad ? Gemm(a, true, sa, g, false, m * n, k, n, m, batch, b.Shape) : null]);
    }

    private static Tensor Gemm(Tensor a, bool ta, int strideA, Tensor b, bool tb, int strideB, int m, int n, int k, int batch, Shape outShape)
    {
        var c = Tensor.Empty(outShape);
        GemmInto(a, ta, strideA, b, tb, strideB, m, n, k, batch, c, 0f);
        return c;
    }

    private static void GemmInto(Tensor a, bool ta, int strideA, Tensor b, bool tb, int strideB, int m, int n, int k, int batch, Tensor c, float beta, float alpha = 1f) =>
        B.GemmBatched(ta, tb, m, n, k, alpha, a, strideA, b, strideB, beta, c, m * n, batch);

    /// <summary>
    /// The gradient buffer of a leaf that requires gradients, for a backward pass to write straight into: made (stale,
    /// so the first write overwrites it) on the leaf's first backward pass, rather than computed into a temporary and
    /// copied into a new buffer by the engine (which touched twice the memory in a fresh process's first step). Null
    /// for a non-leaf, or when the buffer has another shape.
    /// </summary>
    private static Tensor? GradientBuffer(Tensor? leaf)
    {
        if (leaf is not { RequiresGrad: true, IsLeaf: true }) return null;
        if (leaf.Grad is null)
        {
            leaf.Grad = Tensor.Persistent(leaf.Shape);
            leaf.GradIsStale = true;
        }
        return leaf.Grad.Shape == leaf.Shape ? leaf.Grad : null;
    }

    /// <summary>
    /// The gradient of a leaf is written straight into its gradient buffer (<see cref="GradientBuffer"/>: overwriting a stale one,
    /// adding to a current one) instead of through a temporary; the engine then has nothing to accumulate (null).
    /// </summary>
    private static Tensor? LeafGradient(Tensor leaf, Action<(Tensor Tensor, float Beta)> into, Func<Tensor> compute)
    {
        if (GradientBuffer(leaf) is not { } grad) return compute();
        into((grad, leaf.GradIsStale ? 0f : 1f));
        leaf.GradIsStale = false;
        return null;
    }
}
