using Dendrite.Autodiff;
using Dendrite.Backends;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>max(x, 0); gradient 0 at 0.</summary>
    public static Tensor Relu(Tensor x) => Elementwise(UnaryOp.Relu, x, "relu");

    /// <summary>min(max(x, 0), 6).</summary>
    public static Tensor Relu6(Tensor x) => Elementwise(UnaryOp.Relu6, x, "relu6");

    /// <summary>x for x &gt; 0, else negativeSlope * x (Keras function default 0.2).</summary>
    public static Tensor LeakyRelu(Tensor x, float negativeSlope = 0.2f) => Elementwise(UnaryOp.LeakyRelu, x, "leaky_relu", negativeSlope);

    /// <summary>x for x &gt; 0, else alpha * (e^x - 1).</summary>
    public static Tensor Elu(Tensor x, float alpha = 1f) => Elementwise(UnaryOp.Elu, x, "elu", alpha);

    /// <summary>Scaled ELU with the self-normalising constants.</summary>
    public static Tensor Selu(Tensor x) => Elementwise(UnaryOp.Selu, x, "selu");

    /// <summary>GELU: exact (x * Phi(x)) or, with <paramref name="approximate"/>, the tanh form.</summary>
    public static Tensor Gelu(Tensor x, bool approximate = false) =>
        approximate ? Elementwise(UnaryOp.GeluTanh, x, "gelu") : Elementwise(UnaryOp.Gelu, x, "gelu");

    /// <summary>1 / (1 + e^-x).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = Elementwise(UnaryOp.Sigmoid, x, "sigmoid");
        y.SourceLogits = (x, false);
        return y;
    }

    /// <summary>Keras 3 hard sigmoid: relu6(x + 3) / 6.</summary>
    public static Tensor HardSigmoid(Tensor x) => Elementwise(UnaryOp.HardSigmoid, x, "hard_sigmoid");

    /// <summary>Keras 2 hard sigmoid: clip(0.2 x + 0.5, 0, 1) (slope 0.2, saturating at |x| = 2.5).</summary>
    public static Tensor HardSigmoidKeras2(Tensor x) => Elementwise(UnaryOp.HardSigmoidKeras2, x, "hard_sigmoid_keras2");

    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => Elementwise(UnaryOp.Tanh, x, "tanh");

    /// <summary>ln(1 + e^x), computed without overflow.</summary>
    public static Tensor Softplus(Tensor x) => Elementwise(UnaryOp.Softplus, x, "softplus");

    /// <summary>x / (1 + |x|).</summary>
    public static Tensor Softsign(Tensor x) => Elementwise(UnaryOp.Softsign, x, "softsign");

    /// <summary>x * sigmoid(x) (also called swish).</summary>
    public static Tensor Silu(Tensor x) => Elementwise(UnaryOp.Silu, x, "silu");

    /// <summary>Same as <see cref="Silu"/>.</summary>
    public static Tensor Swish(Tensor x) => Silu(x);

    /// <summary>x * tanh(softplus(x)).</summary>
    public static Tensor Mish(Tensor x) => Elementwise(UnaryOp.Mish, x, "mish");

    /// <summary>Heaviside step: 1 where x &gt;= 0, else 0. Zero gradient.</summary>
    public static Tensor Heaviside(Tensor x) => UnaryNoGrad(UnaryOp.Heaviside, x);

    /// <summary>-1, 0 or 1 by the sign of x. Zero gradient.</summary>
    public static Tensor Sign(Tensor x) => UnaryNoGrad(UnaryOp.Sign, x);

    /// <summary>Softmax along <paramref name="axis"/>, stable for large inputs.</summary>
    public static Tensor Softmax(Tensor x, int axis = -1) => SoftmaxCore(x, axis, log: false);

    /// <summary>log(softmax(x)) along <paramref name="axis"/>, computed as x - max - log(sum(exp(x - max))).</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => SoftmaxCore(x, axis, log: true);

    private static Tensor SoftmaxCore(Tensor x, int axis, bool log)
    {
        int ax = x.Shape.NormalizeAxis(axis);
        var y = Tensor.Empty(x.Shape);
        B.Softmax(x, ax, y, log);
        if (!log && ax == x.Rank - 1) y.SourceLogits = (x, true);
        if (Tape.Record(y, log ? "log_softmax" : "softmax", SoftmaxBackward, x) is { } node) { node.I0 = ax; node.I1 = log ? 1 : 0; }
        return y;
    }

    private static void SoftmaxBackward(Autodiff.Node node, Tensor g)
    {
        var dx = Tensor.Empty(node.Input(0)!.Shape);
        B.SoftmaxGrad(node.Output!, g, node.I0, dx, node.I1 != 0);
        node.SetGrad(0, dx);
    }
}
