using Dendrite.Backends;
using Dendrite.Layers;

namespace Dendrite.Models;

/// <summary>
/// A run of three layer calls that prediction computes as one: a Conv1D/Conv2D or Dense with a linear activation, a
/// BatchNormalization of its output's last axis, and an elementwise activation layer (LeakyReLU, ReLU without a cap,
/// an Activation of one elementwise op), each call's result used only by the next. At inference the normalization is
/// folded into the kernel and bias (recomputed per call from the current weights and moving statistics: a few thousand
/// multiplies against the convolution's millions) and the activation is applied in the bias pass, so three passes over
/// the feature map become one. Training and recorded (differentiable) calls run the layers as written.
/// </summary>
internal sealed class InferenceFusion(Layer linear, BatchNormalization norm, ActivationFunction activation)
{
    /// <summary>The fused run that starts at call c of the plan, or null.</summary>
    public static InferenceFusion? At(int c, Layer[] layers, int[][] argSlots, int[][] resultSlots, int[] outputSlots)
    {
        if (c + 2 >= layers.Length || !Foldable(layers[c]) || layers[c + 1] is not BatchNormalization { Axis: -1 } norm
            || Elementwise(layers[c + 2]) is not { } activation)
            return null;
        if (!GraphPlan.FeedsOnlyTheNext(c, argSlots, resultSlots, outputSlots) || !GraphPlan.FeedsOnlyTheNext(c + 1, argSlots, resultSlots, outputSlots))
            return null;
        return argSlots[c].Length == 1 && resultSlots[c + 2].Length == 1 ? new InferenceFusion(layers[c], norm, activation) : null;
    }

    private static bool Foldable(Layer layer) => layer switch
    {
        BaseConv conv => conv.Activation.IsLinear,
        Dense dense => dense.Activation.IsLinear,
        _ => false,
    };

    private static ActivationFunction? Elementwise(Layer layer) => layer switch
    {
        LeakyReLU l => new ActivationFunction("leaky_relu", x => Ops.LeakyRelu(x, l.NegativeSlope), UnaryOp.LeakyRelu, l.NegativeSlope),
        ReLU { MaxValue: null, NegativeSlope: 0f } => Activations.Relu,
        Activation { Function: { Elementwise: not null } f } => f,
        _ => null,
    };

    /// <summary>Whether this call can run fused: the three layers built, the input of the built shape, no mask.</summary>
    public bool Applies(IReadOnlyList<Tensor> args, Tensor? mask) =>
        mask is null && norm.Built && linear.MatchesBuiltShapes(args) && args[0].Shape[^1] > 0;

    /// <summary>The third call's result.</summary>
    public Tensor Run(Tensor x) => linear switch
    {
        BaseConv conv => conv.ForwardFolded(x, norm, activation),
        Dense dense => dense.ForwardFolded(x, norm, activation),
        _ => throw new InvalidOperationException($"Layer '{linear.Name}' cannot be fused."),
    };
}
