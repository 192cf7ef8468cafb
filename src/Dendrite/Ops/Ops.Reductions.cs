using Dendrite.Autodiff;
using Dendrite.Backends;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>Sum over <paramref name="axes"/> (all when null), keeping reduced axes as 1 when <paramref name="keepDims"/>.</summary>
    public static Tensor Sum(Tensor x, int[]? axes = null, bool keepDims = false)
    {
        var (keep, final) = ReducedShapes(x.Shape, axes, keepDims);
        var y = Tensor.Empty(keep);
        B.Reduce(ReduceOp.Sum, x, y);
        var result = keepDims ? y : new Tensor(y.Data, final);
        return Tape.Record(result, "sum", x, g => [BroadcastTo(Reshape(g, keep), x.Shape)]);
    }

    /// <summary>Sum over one axis.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => Sum(x, [axis], keepDims);

    /// <summary>Mean over <paramref name="axes"/> (all when null).</summary>
    public static Tensor Mean(Tensor x, int[]? axes = null, bool keepDims = false)
    {
        var (keep, _) = ReducedShapes(x.Shape, axes, keepDims);
        int count = keep.Size == 0 ? 0 : x.Size / keep.Size;
        return Mul(Sum(x, axes, keepDims), count == 0 ? float.NaN : 1f / count);
    }

    /// <summary>Mean over one axis.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) => Mean(x, [axis], keepDims);

    /// <summary>Maximum over <paramref name="axes"/>; the gradient is shared among tied maxima.</summary>
    public static Tensor Max(Tensor x, int[]? axes = null, bool keepDims = false) => Extreme(ReduceOp.Max, x, axes, keepDims);

    /// <summary>Minimum over <paramref name="axes"/>; the gradient is shared among tied minima.</summary>
    public static Tensor Min(Tensor x, int[]? axes = null, bool keepDims = false) => Extreme(ReduceOp.Min, x, axes, keepDims);

    private static Tensor Extreme(ReduceOp op, Tensor x, int[]? axes, bool keepDims)
    {
        if (x.Size == 0) throw new ArgumentException($"{op} of an empty tensor of shape {x.Shape} is undefined.");
        var (keep, final) = ReducedShapes(x.Shape, axes, keepDims);
        var y = Tensor.Empty(keep);
        B.Reduce(op, x, y);
        var result = keepDims ? y : new Tensor(y.Data, final);
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
        var (keep, final) = ReducedShapes(x.Shape, [ax], keepDims);
        var y = Tensor.Empty(keep);
        B.ArgReduce(max, x, ax, y);
        return keepDims ? y : new Tensor(y.Data, final);
    }

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/> (the inverse of broadcasting).</summary>
    public static Tensor SumTo(Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        int lead = x.Rank - shape.Rank;
        if (lead < 0) throw new ArgumentException($"SumTo: cannot sum shape {x.Shape} to the larger rank shape {shape}.");
        var axes = new List<int>();
        for (int i = 0; i < x.Rank; i++)
        {
            if (i < lead) { axes.Add(i); continue; }
            int target = shape[i - lead];
            if (target == 1 && x.Shape[i] != 1) axes.Add(i);
            else if (target != x.Shape[i]) throw new ArgumentException($"SumTo: shape {x.Shape} was not broadcast from {shape}.");
        }
        return Reshape(Sum(x, axes.ToArray(), keepDims: true), shape);
    }

    /// <summary>Repeats x along broadcast axes to <paramref name="shape"/>.</summary>
    public static Tensor BroadcastTo(Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        if (Shape.Broadcast(x.Shape, shape) != shape)
            throw new ArgumentException($"BroadcastTo: shape {x.Shape} does not broadcast to {shape}.");
        var y = Tensor.Empty(shape);
        B.Binary(BinaryOp.Add, x, Tensor.Scalar(0f), y);
        return Tape.Record(y, "broadcast_to", x, g => [SumTo(g, x.Shape)]);
    }

    private static (Shape Keep, Shape Final) ReducedShapes(Shape s, int[]? axes, bool keepDims)
    {
        var reduce = new bool[s.Rank];
        if (axes is null) Array.Fill(reduce, true);
        else foreach (int a in axes) reduce[s.NormalizeAxis(a)] = true;
        var keep = new int[s.Rank];
        var final = new List<int>();
        for (int i = 0; i < s.Rank; i++)
        {
            keep[i] = reduce[i] ? 1 : s[i];
            if (!reduce[i]) final.Add(s[i]);
        }
        return (new Shape(keep), keepDims ? new Shape(keep) : new Shape(final.ToArray()));
    }
}
