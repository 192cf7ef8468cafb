using Dendrite.Autodiff;
using Dendrite.Backends;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>Sum over <paramref name="axes"/> (all when null), keeping reduced axes as 1 when <paramref name="keepDims"/>.</summary>
    public static Tensor Sum(Tensor x, int[]? axes = null, bool keepDims = false) => SumCore(x, axes, axes is null, keepDims);

    private static Tensor SumCore(Tensor x, ReadOnlySpan<int> axes, bool all, bool keepDims)
    {
        var (keep, final) = ReducedShapes(x.Shape, axes, all, keepDims);
        var y = Tensor.Empty(keep);
        B.Reduce(ReduceOp.Sum, x, y);
        var result = keepDims ? y : Tensor.View(y.Data, final);
        if (Tape.Record(result, "sum", static (n, g) => n.SetGrad(0, BroadcastTo(Reshape(g, n.S0), n.Input(0)!.Shape)), x) is { } node)
            node.S0 = keep;
        return result;
    }

    /// <summary>Sum over one axis.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => SumCore(x, [axis], false, keepDims);

    /// <summary>Mean over <paramref name="axes"/> (all when null).</summary>
    public static Tensor Mean(Tensor x, int[]? axes = null, bool keepDims = false) => MeanCore(x, axes, axes is null, keepDims);

    /// <summary>Mean over one axis.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) => MeanCore(x, [axis], false, keepDims);

    private static Tensor MeanCore(Tensor x, ReadOnlySpan<int> axes, bool all, bool keepDims)
    {
        var (keep, _) = ReducedShapes(x.Shape, axes, all, keepDims);
        int count = keep.Size == 0 ? 0 : x.Size / keep.Size;
        if (all && !keepDims && x.Size > 0) return ScaledSum(x, 1f / count);
        return Mul(SumCore(x, axes, all, keepDims), count == 0 ? float.NaN : 1f / count);
    }

    /// <summary>Maximum over <paramref name="axes"/>; the gradient is shared among tied maxima.</summary>
    public static Tensor Max(Tensor x, int[]? axes = null, bool keepDims = false) => Extreme(ReduceOp.Max, x, axes, keepDims);

    /// <summary>Minimum over <paramref name="axes"/>; the gradient is shared among tied minima.</summary>
    public static Tensor Min(Tensor x, int[]? axes = null, bool keepDims = false) => Extreme(ReduceOp.Min, x, axes, keepDims);

    private static Tensor Extreme(ReduceOp op, Tensor x, int[]? axes, bool keepDims)
    {
        if (x.Size == 0) throw new ArgumentException($"{op} of an empty tensor of shape {x.Shape} is undefined.");
        var (keep, final) = ReducedShapes(x.Shape, axes, axes is null, keepDims);
        var y = Tensor.Empty(keep);
        B.Reduce(op, x, y);
        var result = keepDims ? y : Tensor.View(y.Data, final);
        return Tape.Record(result, op == ReduceOp.Max ? "max" : "min", x, g =>
        {
            var mask = Equal(x, y);
            var count = Sum(mask, axes, keepDims: true);
            return [Mul(mask, Div(Reshape(g, keep), count))];
        });
    }

    /// <summary>Index of the maximum along <paramref name="axis"/> (as floats; no gradient).</summary>
    public static Tensor ArgMax(Tensor x, int axis = -1, bool keepDims = false) => ArgReduce(true, x, axis, keepDims);

    /// <summary>Index of the minimum along <paramref name="axis"/> (as floats; no gradient).</summary>
    public static Tensor ArgMin(Tensor x, int axis = -1, bool keepDims = false) => ArgReduce(false, x, axis, keepDims);

    private static Tensor ArgReduce(bool max, Tensor x, int axis, bool keepDims)
    {
        int ax = x.Shape.NormalizeAxis(axis);
        var (keep, final) = ReducedShapes(x.Shape, [ax], false, keepDims);
        var y = Tensor.Empty(keep);
        B.ArgReduce(max, x, ax, y);
        return keepDims ? y : Tensor.View(y.Data, final);
    }

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/> (the inverse of broadcasting).</summary>
    public static Tensor SumTo(Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        int lead = x.Rank - shape.Rank;
        if (lead < 0) throw new ArgumentException($"SumTo: cannot sum shape {x.Shape} to the larger rank shape {shape}.");
        Span<int> axes = stackalloc int[x.Rank];
        int count = 0;
        for (int i = 0; i < x.Rank; i++)
        {
            if (i < lead) { axes[count++] = i; continue; }
            int target = shape[i - lead];
            if (target == 1 && x.Shape[i] != 1) axes[count++] = i;
            else if (target != x.Shape[i]) throw new ArgumentException($"SumTo: shape {x.Shape} was not broadcast from {shape}.");
        }
        return Reshape(SumCore(x, axes[..count], false, keepDims: true), shape);
    }

    /// <summary>Repeats x along broadcast axes to <paramref name="shape"/>.</summary>
    public static Tensor BroadcastTo(Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        if (Shape.Broadcast(x.Shape, shape) != shape)
            throw new ArgumentException($"BroadcastTo: shape {x.Shape} does not broadcast to {shape}.");
        var y = Tensor.Empty(shape);
        B.Binary(BinaryOp.Add, x, Zero, y);
        Tape.Record(y, "broadcast_to", static (n, g) => n.SetGrad(0, SumTo(g, n.Input(0)!.Shape)), x);
        return y;
    }

    private static (Shape Keep, Shape Final) ReducedShapes(Shape s, ReadOnlySpan<int> axes, bool all, bool keepDims)
    {
        Span<bool> reduce = stackalloc bool[s.Rank];
        if (all) for (int i = 0; i < reduce.Length; i++) reduce[i] = true;   // not Span.Fill: a generic instantiation jitted in every fresh process
        else foreach (int a in axes) reduce[s.NormalizeAxis(a)] = true;
        Span<int> keep = stackalloc int[s.Rank], final = stackalloc int[s.Rank];
        int n = 0;
        for (int i = 0; i < s.Rank; i++)
        {
            keep[i] = reduce[i] ? 1 : s[i];
            if (!reduce[i]) final[n++] = s[i];
        }
        var kept = new Shape(keep);
        return (kept, keepDims ? kept : new Shape(final[..n]));
    }

    /// <summary>A zero scalar that is never written (broadcast into a copy).</summary>
    private static readonly Tensor Zero = Tensor.Scalar(0f);
}
