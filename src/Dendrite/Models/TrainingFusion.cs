using Dendrite.Layers;

namespace Dendrite.Models;

/// <summary>
/// A pair of layer calls that training computes as one op: a trainable BatchNormalization of the last axis and the
/// LeakyReLU (negative slope >= 0) that alone uses its result (<see cref="Ops.BatchNormalizationLeakyReluTraining"/>:
/// the activation is applied in the normalization's output pass and its gradient inside the normalization's backward
/// passes, two passes over the feature map fewer per step). The same values as the two calls; inference uses
/// <see cref="InferenceFusion"/> or the layers as written.
/// </summary>
internal sealed class TrainingFusion(BatchNormalization norm, LeakyReLU activation)
{
    /// <summary>The fused pair that starts at call c of the plan, or null.</summary>
    public static TrainingFusion? At(int c, Layer[] layers, int[][] argSlots, int[][] resultSlots, int[] outputSlots)
    {
        if (c + 1 >= layers.Length || layers[c] is not BatchNormalization { Axis: -1 } norm
            || layers[c + 1] is not LeakyReLU { NegativeSlope: >= 0f } activation)
            return null;
        if (argSlots[c].Length != 1 || resultSlots[c + 1].Length != 1 || !GraphPlan.FeedsOnlyTheNext(c, argSlots, resultSlots, outputSlots))
            return null;
        return new TrainingFusion(norm, activation);
    }

    /// <summary>Whether this call can run fused: both layers built for the input's shape, the normalization trainable,
    /// no activity regularizer (it would need the intermediate result), no mask.</summary>
    public bool Applies(IReadOnlyList<Tensor> args, Tensor? mask) =>
        mask is null && norm.Trainable && norm.ActivityRegularizer is null && activation.ActivityRegularizer is null
        && norm.MatchesBuiltShapes(args) && activation.MatchesBuiltShapes(args) && args[0].Shape[^1] > 0;

    /// <summary>The second call's result, in training mode.</summary>
    public Tensor Run(Tensor x) => norm.ForwardTrainingLeakyRelu(x, activation.NegativeSlope);
}
