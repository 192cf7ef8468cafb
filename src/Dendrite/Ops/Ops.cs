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
        return Tape.Record(y, name, x, g =>
        {
            var dx = Tensor.Empty(x.Shape);
            B.UnaryGrad(op, x, y, g, dx, alpha, beta);
            return [dx];
        });
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
