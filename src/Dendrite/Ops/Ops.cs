using Dendrite.Autodiff;
using Dendrite.Backends;

namespace Dendrite;

/// <summary>
/// The differentiable op set. Every op computes through the active <see cref="IBackend"/> and, when an input
/// requires gradients, records its backward beside its forward.
/// </summary>
public static partial class Ops
{
    private static IBackend B => Backend.Current;

    private static Tensor Elementwise(UnaryOp op, Tensor x, string name, float alpha = 0f, float beta = 0f)
    {
        var y = Tensor.Empty(x.Shape);
        B.Unary(op, x, y, alpha, beta);
        if (Tape.Record(y, name, ElementwiseBackward, x) is { } node) { node.I0 = (int)op; node.F0 = alpha; node.F1 = beta; }
        return y;
    }

    private static void ElementwiseBackward(Node node, Tensor g)
    {
        var x = node.Input(0)!;
        var dx = Tensor.Empty(x.Shape);
        B.UnaryGrad((UnaryOp)node.I0, x, node.Output!, g, dx, node.F0, node.F1);
        node.SetGrad(0, dx);
    }

    /// <summary>An op with a zero gradient everywhere (step functions, comparisons): recorded so gradients stop cleanly.</summary>
    private static Tensor UnaryNoGrad(UnaryOp op, Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        B.Unary(op, x, y);
        return y;
    }

    private static Tensor BinaryForward(BinaryOp op, Tensor a, Tensor b)
    {
        var y = Tensor.Empty(Shape.Broadcast(a.Shape, b.Shape));
        B.Binary(op, a, b, y);
        return y;
    }
}
