using Dendrite.Backends.Cpu.Kernels;
namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Permute(Tensor x, int[] perm, Tensor y)
    {
        int rank = x.Rank;
        if (rank == 0 || x.Size == 0) { x.AsSpan().CopyTo(y.AsSpan()); return; }
        var xs = x.Shape.Strides();
        var dims = y.Shape.ToArray();
        var src = new int[rank];
        for (int i = 0; i < rank; i++) src[i] = xs[perm[i]];
        int inner = dims[^1], innerStride = src[^1], rows = y.Size / inner;
        var idx = new int[rank];
        for (int r = 0; r < rows; r++)
        {
            int off = 0;
            for (int i = 0; i < rank - 1; i++) off += idx[i] * src[i];
            int o = r * inner;
            if (innerStride == 1) x.Data.AsSpan(off, inner).CopyTo(y.Data.AsSpan(o, inner));
            else for (int j = 0; j < inner; j++) y.Data[o + j] = x.Data[off + j * innerStride];
            for (int i = rank - 2; i >= 0 && ++idx[i] == dims[i]; i--) idx[i] = 0;
        }
    }

    public void Slice(Tensor x, int[] begin, Tensor y) => CopyBox(y, begin, x, toBox: false, accumulate: false);

    public void SliceAssign(Tensor src, int[] begin, Tensor dst, bool accumulate) => CopyBox(src, begin, dst, toBox: true, accumulate);

    /// <summary>Copies between a dense tensor <paramref name="box"/> and the box of <paramref name="big"/> at <paramref name="begin"/>.</summary>
    private static void CopyBox(Tensor box, int[] begin, Tensor big, bool toBox, bool accumulate)
    {
        int rank = big.Rank;
        if (box.Size == 0) return;
        if (rank == 0) { Move(0, 0, 1); return; }
        var strides = big.Shape.Strides();
        var dims = box.Shape.ToArray();
        int inner = dims[^1], rows = box.Size / inner;
        var idx = new int[rank];
        for (int r = 0; r < rows; r++)
        {
            int off = begin[^1];
            for (int i = 0; i < rank - 1; i++) off += (begin[i] + idx[i]) * strides[i];
            Move(off, r * inner, inner);
            for (int i = rank - 2; i >= 0 && ++idx[i] == dims[i]; i--) idx[i] = 0;
        }

        void Move(int bigOff, int boxOff, int n)
        {
            var b = big.Data.AsSpan(bigOff, n);
            var s = box.Data.AsSpan(boxOff, n);
            if (!toBox) b.CopyTo(s);
            else if (accumulate) SpanMath.Add(b, s, b);
            else s.CopyTo(b);
        }
    }

    public void Gather(Tensor x, int[] indices, int axis, Tensor y)
    {
        var (outer, d, inner) = Split(x.Shape, axis);
        int n = indices.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
                x.Data.AsSpan((o * d + indices[j]) * inner, inner).CopyTo(y.Data.AsSpan((o * n + j) * inner, inner));
    }

    public void ScatterAdd(Tensor dy, int[] indices, int axis, Tensor dx)
    {
        var (outer, d, inner) = Split(dx.Shape, axis);
        int n = indices.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
            {
                var dst = dx.Data.AsSpan((o * d + indices[j]) * inner, inner);
                SpanMath.Add(dst, dy.Data.AsSpan((o * n + j) * inner, inner), dst);
            }
    }
}
