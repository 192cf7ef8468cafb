using Dendrite.Autodiff;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>The same elements with a new shape (one dimension may be -1); shares the buffer.</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        var target = ResolveShape(x, shape);
        if (target == x.Shape) return x;
        var y = new Tensor(x.Data, target);
        return Tape.Record(y, "reshape", x, g => [Reshape(g, x.Shape.ToArray())]);
    }

    /// <summary>The same elements with a new shape; shares the buffer.</summary>
    public static Tensor Reshape(Tensor x, Shape shape) => Reshape(x, shape.ToArray());

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
        var dims = (int[])shape.Clone();
        if (infer >= 0)
        {
            if (known == 0 || x.Size % known != 0)
                throw new ArgumentException($"Reshape: cannot reshape {x.Shape} ({x.Size} elements) to ({string.Join(", ", shape)}).");
            dims[infer] = x.Size / known;
        }
        var s = new Shape(dims);
        if (s.Size != x.Size)
            throw new ArgumentException($"Reshape: cannot reshape {x.Shape} ({x.Size} elements) to {s} ({s.Size} elements).");
        return s;
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
        int a = x.Shape.NormalizeAxis(axis);
        var begin = new int[x.Rank];
        var size = Enumerable.Repeat(-1, x.Rank).ToArray();
        begin[a] = start;
        size[a] = length;
        return Slice(x, begin, size);
    }

    /// <summary>Joins tensors along an existing axis; all other axes must match.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Concat needs at least one tensor.");
        var first = tensors[0].Shape;
        int a = first.NormalizeAxis(axis), total = 0;
        foreach (var t in tensors)
        {
            bool ok = t.Rank == first.Rank;
            for (int i = 0; ok && i < first.Rank; i++) ok = i == a || t.Shape[i] == first[i];
            if (!ok) throw new ArgumentException($"Concat along axis {axis}: shape {t.Shape} does not match {first} off that axis.");
            total += t.Shape[a];
        }
        var y = Tensor.Empty(first.With(a, total));
        var offsets = new int[tensors.Count];
        int off = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            offsets[i] = off;
            var begin = new int[first.Rank];
            begin[a] = off;
            B.SliceAssign(tensors[i], begin, y, accumulate: false);
            off += tensors[i].Shape[a];
        }
        var inputs = tensors.ToArray();
        return Tape.Record(y, "concat", inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
                if (inputs[i].RequiresGrad) grads[i] = Slice(g, a, offsets[i], inputs[i].Shape[a]);
            return grads;
        });
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
