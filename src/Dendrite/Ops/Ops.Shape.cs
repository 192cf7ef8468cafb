using Dendrite.Autodiff;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>The same elements with a new shape (one dimension may be -1); shares the buffer.</summary>
    public static Tensor Reshape(Tensor x, params int[] shape) => Reshape(x, ResolveShape(x, shape));

    /// <summary>The same elements with a new shape; shares the buffer.</summary>
    public static Tensor Reshape(Tensor x, Shape shape)
    {
        if (shape.Size != x.Size)
            throw new ArgumentException($"Reshape: cannot reshape {x.Shape} ({x.Size} elements) to {shape} ({shape.Size} elements).");
        if (shape == x.Shape) return x;
        var y = Tensor.ViewOf(x, shape);
        Tape.Record(y, "reshape", static (n, g) => n.SetGrad(0, Reshape(g, n.Input(0)!.Shape)), x);
        return y;
    }

    private static Shape ResolveShape(Tensor x, int[] shape)
    {
        int infer = -1, known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape: only one dimension may be -1, got ({string.Join(", ", shape)}).");
                infer = i;
            }
            else if (shape[i] < 0) throw new ArgumentException($"Reshape: invalid dimension {shape[i]} in ({string.Join(", ", shape)}).");
            else known *= shape[i];
        }
        if (infer < 0) return new Shape(shape);
        if (known == 0 || x.Size % known != 0)
            throw new ArgumentException($"Reshape: cannot reshape {x.Shape} ({x.Size} elements) to ({string.Join(", ", shape)}).");
        Span<int> dims = stackalloc int[shape.Length];
        shape.CopyTo(dims);
        dims[infer] = x.Size / known;
        return new Shape(dims);
    }

    /// <summary>Flattens all axes after the first: (n, ...) to (n, product).</summary>
    public static Tensor Flatten(Tensor x) => Reshape(x, x.Rank == 0 ? 1 : x.Shape[0], -1);

    /// <summary>Inserts an axis of length 1 at <paramref name="axis"/>.</summary>
    public static Tensor ExpandDims(Tensor x, int axis)
    {
        int a = axis < 0 ? axis + x.Rank + 1 : axis;
        if (a < 0 || a > x.Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"ExpandDims: axis {axis} is out of range for shape {x.Shape}.");
        var d = x.Shape.ToArray().ToList();
        d.Insert(a, 1);
        return Reshape(x, d.ToArray());
    }

    /// <summary>Removes axes of length 1 (only <paramref name="axis"/> when given).</summary>
    public static Tensor Squeeze(Tensor x, int? axis = null)
    {
        var d = x.Shape.ToArray().ToList();
        if (axis is int ax)
        {
            int a = x.Shape.NormalizeAxis(ax);
            if (d[a] != 1) throw new ArgumentException($"Squeeze: axis {ax} of shape {x.Shape} has length {d[a]}, not 1.");
            d.RemoveAt(a);
        }
        else d.RemoveAll(v => v == 1);
        return Reshape(x, d.ToArray());
    }

    /// <summary>Reverses the axes (2-D: the matrix transpose), or permutes them by <paramref name="perm"/>.</summary>
    public static Tensor Transpose(Tensor x, params int[] perm)
    {
        if (perm.Length == 0) perm = Enumerable.Range(0, x.Rank).Reverse().ToArray();
        if (perm.Length != x.Rank || perm.Select(x.Shape.NormalizeAxis).Distinct().Count() != x.Rank)
            throw new ArgumentException($"Transpose: ({string.Join(", ", perm)}) is not a permutation of the {x.Rank} axes of {x.Shape}.");
        perm = perm.Select(x.Shape.NormalizeAxis).ToArray();
        var y = Tensor.Empty(perm.Select(p => x.Shape[p]).ToArray());
        B.Permute(x, perm, y);
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return Tape.Record(y, "transpose", x, g => [Transpose(g, inverse)]);
    }

    /// <summary>Same as <see cref="Transpose"/> with an explicit permutation.</summary>
    public static Tensor Permute(Tensor x, params int[] perm) => Transpose(x, perm);

    /// <summary>A box slice: begin[i] .. begin[i] + size[i] on each axis (size -1: to the end; negative begin counts from the end).</summary>
    public static Tensor Slice(Tensor x, int[] begin, int[] size)
    {
        if (begin.Length != x.Rank || size.Length != x.Rank)
            throw new ArgumentException($"Slice: begin and size need {x.Rank} entries for shape {x.Shape}, got {begin.Length} and {size.Length}.");
        var b = new int[x.Rank];
        var s = new int[x.Rank];
        for (int i = 0; i < x.Rank; i++)
        {
            int d = x.Shape[i];
            b[i] = begin[i] < 0 ? begin[i] + d : begin[i];
            s[i] = size[i] == -1 ? d - b[i] : size[i];
            if (b[i] < 0 || s[i] < 0 || b[i] + s[i] > d)
                throw new ArgumentOutOfRangeException(nameof(begin), $"Slice: [{begin[i]}, +{size[i]}) is out of range for axis {i} of shape {x.Shape}.");
        }
        var y = Tensor.Empty(s);
        B.Slice(x, b, y);
        return Tape.Record(y, "slice", x, g =>
        {
            var dx = Tensor.ZerosScoped(x.Shape);
            B.SliceAssign(g, b, dx, accumulate: true);
            return [dx];
        });
    }

    /// <summary>Elements start .. start + length along one axis.</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        int a = x.Shape.NormalizeAxis(axis), d = x.Shape[a];
        if (start < 0) start += d;
        if (length == -1) length = d - start;
        if (start < 0 || length < 0 || start + length > d)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice: [{start}, +{length}) is out of range for axis {a} of shape {x.Shape}.");
        var y = Tensor.Empty(x.Shape.With(a, length));
        B.Slice(x, AxisOffset(x.Rank, a, start), y);
        if (Tape.Record(y, "slice", static (n, g) =>
            {
                var x = n.Input(0)!;
                var dx = Tensor.ZerosScoped(x.Shape);
                B.SliceAssign(g, AxisOffset(x.Rank, n.I0, n.I1), dx, accumulate: true);
                n.SetGrad(0, dx);
            }, x) is { } node) { node.I0 = a; node.I1 = start; }
        return y;
    }

    /// <summary>Begin indices that are zero but on one axis, in a per-thread array reused by every call (the backend
    /// reads it during the call only).</summary>
    private static int[] AxisOffset(int rank, int axis, int offset)
    {
        var cache = _axisOffsets ??= new int[9][];
        var begin = rank < cache.Length ? cache[rank] ??= new int[rank] : new int[rank];
        Array.Clear(begin);
        begin[axis] = offset;
        return begin;
    }

    [ThreadStatic] private static int[]?[]? _axisOffsets;

    /// <summary>Joins tensors along an existing axis; all other axes must match.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Concat needs at least one tensor.");
        var first = tensors[0].Shape;
        int a = first.NormalizeAxis(axis), total = 0;
        for (int k = 0; k < tensors.Count; k++)
        {
            var t = tensors[k];
            bool ok = t.Rank == first.Rank;
            for (int i = 0; ok && i < first.Rank; i++) ok = i == a || t.Shape[i] == first[i];
            if (!ok) throw new ArgumentException($"Concat along axis {axis}: shape {t.Shape} does not match {first} off that axis.");
            total += t.Shape[a];
        }
        var y = Tensor.Empty(first.With(a, total));
        int off = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            B.SliceAssign(tensors[i], AxisOffset(first.Rank, a, off), y, accumulate: false);
            off += tensors[i].Shape[a];
        }
        if (!GradMode.IsEnabled) return y;
        bool any = false;
        for (int k = 0; k < tensors.Count; k++) any |= tensors[k].RequiresGrad;
        if (!any) return y;
        if (tensors.Count == 2)
        {
            // The usual merge of two, recorded without allocating: the split is the first input's extent on the axis.
            if (Tape.Record(y, "concat", ConcatBackward, tensors[0], tensors[1]) is { } node) node.I0 = a;
            return y;
        }
        var inputs = tensors.ToArray();
        return Tape.Record(y, "concat", inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            for (int i = 0, at = 0; i < inputs.Length; at += inputs[i].Shape[a], i++)
                if (inputs[i].RequiresGrad) grads[i] = Slice(g, a, at, inputs[i].Shape[a]);
            return grads;
        });
    }

    private static void ConcatBackward(Node node, Tensor g)
    {
        Tensor first = node.Input(0)!, second = node.Input(1)!;
        int a = node.I0, split = first.Shape[a];
        if (first.RequiresGrad) node.SetGrad(0, Slice(g, a, 0, split));
        if (second.RequiresGrad) node.SetGrad(1, Slice(g, a, split, second.Shape[a]));
    }

    /// <summary>Joins equally shaped tensors along a new axis.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack needs at least one tensor.");
        foreach (var t in tensors)
            if (t.Shape != tensors[0].Shape) throw new ArgumentException($"Stack: shape {t.Shape} differs from {tensors[0].Shape}.");
        return Concat(tensors.Select(t => ExpandDims(t, axis)).ToArray(), axis < 0 ? axis + tensors[0].Rank + 1 : axis);
    }
}
