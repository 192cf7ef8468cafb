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

    public static TheoryData<string, string, bool> BidirectionalCases => new()
    {
        { "LSTM", "concat", false }, { "LSTM", "concat", true }, { "GRU", "sum", true }, { "GRU", "mul", false }, { "SimpleRNN", "ave", true },
    };

    [Theory, MemberData(nameof(BidirectionalCases))]
    public void Bidirectional_layer(string cell, string mergeMode, bool returnSequences)
    {
        RecurrentLayer inner = cell switch
        {
            "LSTM" => new LSTM(3, returnSequences: returnSequences),
            "GRU" => new GRU(3, returnSequences: returnSequences),
            _ => new SimpleRNN(3, returnSequences: returnSequences),
        };
        OnnxCheck.MatchesPredict(Single(new Bidirectional(inner, mergeMode: mergeMode), 4, 2));
    }

    [Fact]
    public void Bidirectional_with_two_outputs_is_refused_naming_the_layer()
    {
        var e = Assert.Throws<NotSupportedException>(() =>
            Dendrite.Onnx.OnnxExporter.ToBytes(Single(new Bidirectional(new LSTM(2), mergeMode: null, name: "two_outputs"), 4, 2)));
        Assert.Contains("two_outputs", e.Message);
    }
}
