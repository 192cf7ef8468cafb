using Dendrite.Autodiff;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>Pads with zeros: <paramref name="padding"/>[i] = (before, after) elements on axis i (NumPy <c>pad</c> with constants 0).</summary>
    public static Tensor Pad(Tensor x, params (int Before, int After)[] padding)
    {
        if (padding.Length != x.Rank)
            throw new ArgumentException($"Pad: needs one (before, after) pair per axis of shape {x.Shape}, got {padding.Length}.", nameof(padding));
        var dims = x.Shape.ToArray();
        var begin = new int[x.Rank];
        for (int i = 0; i < x.Rank; i++)
        {
            if (padding[i].Before < 0 || padding[i].After < 0)
                throw new ArgumentException($"Pad: padding must not be negative, got ({padding[i].Before}, {padding[i].After}) on axis {i}.", nameof(padding));
            begin[i] = padding[i].Before;
            dims[i] += padding[i].Before + padding[i].After;
        }
        var y = Tensor.ZerosScoped(dims);
        B.SliceAssign(x, begin, y, accumulate: false);
        return Tape.Record(y, "pad", x, g =>
        {
            var dx = Tensor.Empty(x.Shape);
            B.Slice(g, begin, dx);
            return [dx];
        });
    }

    /// <summary>Repeats each element <paramref name="repeats"/> times along <paramref name="axis"/> (NumPy <c>repeat</c>).</summary>
    public static Tensor Repeat(Tensor x, int repeats, int axis)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "Repeat: repeats must be at least 1.");
        int a = x.Shape.NormalizeAxis(axis), n = x.Shape[a];
        if (repeats == 1) return x;
        var ix = new int[n * repeats];
        for (int i = 0; i < ix.Length; i++) ix[i] = i / repeats;
        return Gather(x, ix, a);
    }
}
