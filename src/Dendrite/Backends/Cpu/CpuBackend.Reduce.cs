using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Reduce(ReduceOp op, Tensor x, Tensor y)
    {
        if (y.Rank != x.Rank) Kernels.KernelThrow.Argument("Reduce: output rank {0} differs from input rank {1} (keep the reduced axes as 1).", y.Rank, x.Rank);
        float init = op switch { ReduceOp.Sum => 0f, ReduceOp.Max => float.NegativeInfinity, _ => float.PositiveInfinity };
        if (op == ReduceOp.Sum) y.AsSpan().Clear(); else y.AsSpan().Fill(init);   // Clear: no generic Fill<float> to jit for the step's loss sum
        if (x.Size == 0) return;
        // Plan over x's shape with y as the operand broadcast to it: y's stride is 0 on the reduced axes.
        var plan = BroadcastPlan.Create(x.Shape, x.Shape, y.Shape);
        int inner = plan.Inner, rows = plan.Outer, sy = plan.Strides[1][^1];
        Span<int> off = stackalloc int[2];
        for (int r = 0; r < rows; r++)
        {
            plan.RowOffsets(r, off);
            var src = x.Data.AsSpan(off[0], inner);
            if (sy == 0)
            {
                ref float acc = ref y.Data[off[1]];
                acc = op == ReduceOp.Sum ? acc + AccurateSum(src) : Extreme(op, acc, src);
            }
            else
            {
                var dst = y.Data.AsSpan(off[1], inner);
                if (op == ReduceOp.Sum) Kernels.SpanMath.Add(dst, src, dst);
                else Extremes(op, dst, src);
            }
        }
    }

    // Max and min in methods of their own, which a step's loss sum does not reach (precompiled loops, not TensorPrimitives'
    // generic drivers, which a fresh process jitted at first use).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Extreme(ReduceOp op, float acc, ReadOnlySpan<float> src) =>
        op == ReduceOp.Max ? MathF.Max(acc, Kernels.SpanMath.Max(src)) : MathF.Min(acc, Kernels.SpanMath.Min(src));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Extremes(ReduceOp op, Span<float> dst, ReadOnlySpan<float> src)
    {
        if (op == ReduceOp.Max) Kernels.SimdDriver.Binary(new Kernels.MaximumOp(), dst, src, dst);
        else Kernels.SimdDriver.Binary(new Kernels.MinimumOp(), dst, src, dst);
    }

    public void ArgReduce(bool max, Tensor x, int axis, Tensor y)
    {
        var (outer, d, inner) = Split(x.Shape, axis);
        if (d == 0) throw new ArgumentException($"Arg{(max ? "max" : "min")} over an empty axis {axis} of shape {x.Shape}.");
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int baseIx = o * d * inner + i, best = 0;
                float bv = x.Data[baseIx];
                for (int j = 1; j < d; j++)
                {
                    float v = x.Data[baseIx + j * inner];
                    if (max ? v > bv : v < bv) { bv = v; best = j; }
                }
                y.Data[o * inner + i] = best;
            }
    }

    /// <summary>Sums in blocks (vectorised within a block) with a float64 total, so long rows keep float32 accuracy.</summary>
    internal static float AccurateSum(ReadOnlySpan<float> x)
    {
        const int Block = 1024;
        if (x.Length <= Block) return Kernels.SpanMath.Sum(x);
        double total = 0;
        for (int i = 0; i < x.Length; i += Block) total += Kernels.SpanMath.Sum(x.Slice(i, Math.Min(Block, x.Length - i)));
        return (float)total;
    }

    /// <summary>Views a shape as (outer, axis, inner).</summary>
    internal static (int Outer, int D, int Inner) Split(Shape s, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= s[i];
        for (int i = axis + 1; i < s.Rank; i++) inner *= s[i];
        return (outer, s[axis], inner);
    }
}
