using System.Runtime.CompilerServices;
using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        switch (op)
        {
            case BinaryOp.Add: Broadcast(new AddOp(), a, b, y); break;
            case BinaryOp.Sub: Broadcast(new SubOp(), a, b, y); break;
            case BinaryOp.Mul: Broadcast(new MulOp(), a, b, y); break;
            case BinaryOp.Div: Broadcast(new DivOp(), a, b, y); break;
            case BinaryOp.Pow: Broadcast(new PowOp(), a, b, y); break;
            case BinaryOp.Minimum: Broadcast(new MinimumOp(), a, b, y); break;
            case BinaryOp.Maximum: Broadcast(new MaximumOp(), a, b, y); break;
            case BinaryOp.Greater: Broadcast(new GreaterOp(), a, b, y); break;
            case BinaryOp.GreaterEqual: Broadcast(new GreaterEqualOp(), a, b, y); break;
            case BinaryOp.Less: Broadcast(new LessOp(), a, b, y); break;
            case BinaryOp.LessEqual: Broadcast(new LessEqualOp(), a, b, y); break;
            case BinaryOp.Equal: Broadcast(new EqualOp(), a, b, y); break;
            case BinaryOp.NotEqual: Broadcast(new NotEqualOp(), a, b, y); break;
            case BinaryOp.SigmoidCrossEntropy: Broadcast(new SigmoidCrossEntropyOp(), a, b, y); break;
            case BinaryOp.SigmoidCrossEntropyGrad: Broadcast(new SigmoidCrossEntropyGradOp(), a, b, y); break;
            default: throw new NotSupportedException($"Binary op {op} is not implemented by the CPU backend.");
        }
    }

    private static void Broadcast<TOp>(TOp op, Tensor a, Tensor b, Tensor y) where TOp : struct, IBinaryOp
    {
        if (a.Shape == y.Shape && b.Shape == y.Shape)
        {
            int size = y.Size;
            if (size >= ElementwiseSplitMin && Settings.Threads >= 2)
            {
                PartedLoop.RunBlocks(size, 16, new BinaryArgs<TOp>(op, a, b, y), static (from, to, s) =>
                    SimdDriver.Binary(s.Op, s.A.Data.AsSpan(from, to - from), s.B.Data.AsSpan(from, to - from), s.Y.Data.AsSpan(from, to - from)));
                y.MarkWritten();
                return;
            }
            SimdDriver.Binary(op, a.AsSpan(), b.AsSpan(), y.AsSpan());
            return;
        }
        if (a.Shape == y.Shape && b.Size == 1) { SimdDriver.BinaryScalarRight(op, a.AsSpan(), b.Data[0], y.AsSpan()); return; }
        if (b.Shape == y.Shape && a.Size == 1) { SimdDriver.BinaryScalarLeft(op, a.Data[0], b.AsSpan(), y.AsSpan()); return; }
        var plan = BroadcastPlan.Create(y.Shape, a.Shape, b.Shape);
        int inner = plan.Inner, rows = plan.Outer;
        int sa = plan.Strides[0][^1], sb = plan.Strides[1][^1];
        Span<int> off = stackalloc int[2];
        float[] ad = a.Data, bd = b.Data, yd = y.Data;
        for (int r = 0; r < rows; r++)
        {
            plan.RowOffsets(r, off);
            var dst = yd.AsSpan(r * inner, inner);
            if (sa == 1 && sb == 1) SimdDriver.Binary(op, ad.AsSpan(off[0], inner), bd.AsSpan(off[1], inner), dst);
            else if (sa == 1) SimdDriver.BinaryScalarRight(op, ad.AsSpan(off[0], inner), bd[off[1]], dst);
            else if (sb == 1) SimdDriver.BinaryScalarLeft(op, ad[off[0]], bd.AsSpan(off[1], inner), dst);
            else dst.Fill(op.Invoke(ad[off[0]], bd[off[1]]));
        }
    }

    /// <summary>A same-shape binary op's arguments for its parted loop: a named struct, not a tuple, so that the loop's job
    /// is precompiled (<see cref="PartedLoop.Run{TState}"/>).</summary>
    private readonly struct BinaryArgs<TOp>(TOp op, Tensor a, Tensor b, Tensor y) where TOp : struct, IBinaryOp
    {
        public readonly TOp Op = op;
        public readonly Tensor A = a, B = b, Y = y;
    }

    public void Where(Tensor cond, Tensor a, Tensor b, Tensor y)
    {
        var plan = BroadcastPlan.Create(y.Shape, cond.Shape, a.Shape, b.Shape);
        int inner = plan.Inner, rows = plan.Outer;
        int sc = plan.Strides[0][^1], sa = plan.Strides[1][^1], sb = plan.Strides[2][^1];
        Span<int> off = stackalloc int[3];
        for (int r = 0; r < rows; r++)
        {
            plan.RowOffsets(r, off);
            int o = r * inner;
            for (int i = 0; i < inner; i++)
                y.Data[o + i] = cond.Data[off[0] + i * sc] != 0f ? a.Data[off[1] + i * sa] : b.Data[off[2] + i * sb];
        }
    }
}
