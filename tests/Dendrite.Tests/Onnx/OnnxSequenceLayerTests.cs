using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Onnx;

/// <summary>The sequence layers and wrappers, exported alone, give ONNX Runtime the outputs of Predict.</summary>
public class OnnxSequenceLayerTests
{
    private static Model Single(Layer layer, params int[] inputShape)
    {
        var input = new Input(inputShape);
        return new Model(input.Output, layer.Call(input.Output));
    }

    [Fact]
    public void RepeatVector_layer() => OnnxCheck.MatchesPredict(Single(new RepeatVector(3), 5));

    [Theory]
    [InlineData(new[] { 2, 1 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 1, 2 }, new[] { 2, 3, 4 })]
    public void Permute_layer(int[] dims, int[] input) => OnnxCheck.MatchesPredict(Single(new Permute(dims), input));

    [Fact]
    public void TimeDistributed_dense() => OnnxCheck.MatchesPredict(Single(new TimeDistributed(new Dense(3, activation: "tanh")), 4, 5));

    [Fact]
    public void TimeDistributed_on_rank_4_steps() => OnnxCheck.MatchesPredict(Single(new TimeDistributed(new Flatten()), 3, 2, 4));
}
