using Dendrite.Autodiff;
using Dendrite.Backends;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// <c>Mul(Sum(x), scale)</c> as one tape node: a loss's "sum over batch size" and a mean over every axis. The same
    /// values as the two ops (the sum, then one float multiply), and the backward fills the input's gradient with
    /// <c>g * scale</c> instead of a scalar-multiply kernel and a broadcast kernel over a 1-element tensor: two generic
    /// kernels fewer to jit in a fresh process, two tape nodes fewer per step.
    /// </summary>
    internal static Tensor ScaledSum(Tensor x, float scale)
    {
        var (keep, final) = ReducedShapes(x.Shape, default, all: true, keepDims: false);
        var y = Tensor.Empty(keep);
        // The backend's whole-tensor sum: what Reduce computes for every axis at once (x is contiguous, so its plan is
        // one row), without compiling the general reduction in a fresh process's first step.
        y.Data[0] = 0f + B.Sum(x);
        y.Data[0] *= scale;
        var result = Tensor.View(y.Data, final);
        if (Tape.Record(result, "scaled_sum", static (n, g) =>
            {
                var dx = Tensor.Empty(n.Input(0)!.Shape);
                float v = g.Data[0] * n.F0;
                var d = dx.Data;   // a loop, not Span.Fill: its generic instantiation is compiled in every fresh process's first step
                for (int i = 0; i < dx.Size; i++) d[i] = v;
                n.SetGrad(0, dx);
            }, x) is { } node)
            node.F0 = scale;
        return result;
    }
}
