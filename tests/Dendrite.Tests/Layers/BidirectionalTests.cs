using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving.Hdf5;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Layers;

/// <summary>
/// Bidirectional against PyTorch's bidirectional LSTM (torch.manual_seed(0), bias_hh zeroed so Keras's single bias is
/// bias_ih; Keras kernel = weight_ih^T; gate order i, f, c(g), o in both), plus masks, gradients, config and saving.
/// </summary>
public sealed class BidirectionalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-bidi-").FullName;

    public BidirectionalTests() => Hdf5Saving.Enable();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly float[] X = [1.5409961f, -0.2934289f, -2.1787894f, 0.56843126f, -1.0845224f, -1.3985955f, 0.40334684f, 0.83802634f, -0.71925759f, -0.40334353f, -0.59663534f, 0.18203649f];
    private static readonly float[] Fk = [-0.11397384f, 0.64026839f, -0.44515052f, -0.27563018f, -0.45833221f, -0.4940134f, -0.41276684f, 0.31552404f, 0.074821867f, -0.65596199f, -0.17901486f, 0.61094081f, -0.32550448f, -0.66224861f, 0.6078276f, 0.34271523f];
    private static readonly float[] Fr = [0.037187848f, 0.11963163f, -0.51093149f, 0.4461405f, -0.31359833f, 0.4522377f, 0.28063807f, 0.47410542f, -0.36252198f, -0.66022187f, -0.36453474f, 0.4145917f, -0.0255141f, 0.70295823f, 0.095525071f, -0.41634613f];
    private static readonly float[] Fb = [0.13176513f, -0.54822379f, -0.4900859f, -0.36527973f, 0.31994677f, 0.28437033f, -0.41885647f, 0.21362197f];
    private static readonly float[] Bk = [0.27789995f, 0.6153295f, 0.14072452f, 0.065048516f, -0.6589911f, 0.53765553f, 0.13235062f, -0.1163623f, 0.58587289f, 0.62392044f, -0.61488777f, -0.44236979f, 0.62825906f, -0.70535874f, -0.11911921f, -0.32368299f];
    private static readonly float[] Br = [0.27192226f, 0.2592192f, 0.50619763f, -0.69984847f, 0.35306904f, -0.55160266f, 0.66521019f, -0.30831632f, -0.41882181f, 0.35758963f, 0.26439509f, -0.45869797f, 0.14799841f, -0.40716586f, 0.47646117f, -0.17796801f];
    private static readonly float[] Bb = [-0.67358857f, -0.012709634f, -0.53249305f, -0.54543155f, -0.038961306f, 0.10616858f, -0.28958163f, 0.41958132f];

    private static Tensor Input => Tensor.FromArray((float[])X.Clone(), [2, 3, 2]);

    private static Bidirectional Make(string? mergeMode, bool returnSequences, bool returnState = false, Tensor? buildOn = null)
    {
        var b = new Bidirectional(new LSTM(2, returnSequences: returnSequences, returnState: returnState), mergeMode: mergeMode);
        b.Call(buildOn ?? Input);
        b.SetWeights([Tensor.FromArray(Fk, [2, 8]), Tensor.FromArray(Fr, [2, 8]), Tensor.FromArray(Fb, [8]),
            Tensor.FromArray(Bk, [2, 8]), Tensor.FromArray(Br, [2, 8]), Tensor.FromArray(Bb, [8])]);
        return b;
    }

    public static TheoryData<string, float[]> Sequences => new()
    {
        { "concat", [-0.030670932f, -0.11475024f, -0.11113466f, 0.24895327f, 0.27326751f, -0.019539561f, 0.085852191f, -0.13583618f, 0.18815427f, 0.14489157f, -0.012375029f, 0.059819881f, -0.035286173f, -0.085658081f, 0.058521457f, -0.10336524f, 0.12882204f, 0.081404544f, 0.043804139f, -0.035539594f, 0.18197556f, 0.11385124f, 0.056884117f, -0.086196676f] },
        { "sum", [-0.14180559f, 0.13420303f, 0.35911971f, -0.15537575f, 0.17577924f, 0.20471145f, 0.023235284f, -0.18902332f, 0.17262618f, 0.045864951f, 0.23885968f, 0.027654566f] },
        { "ave", [-0.070902795f, 0.067101516f, 0.17955986f, -0.077687874f, 0.087889619f, 0.10235573f, 0.011617642f, -0.094511658f, 0.086313091f, 0.022932475f, 0.11942984f, 0.013827283f] },
        { "mul", [0.0034086034f, -0.028567446f, 0.023460614f, 0.0026541795f, -0.0023284145f, 0.0086673964f, -0.0020649983f, 0.0088540679f, 0.0056429389f, -0.0028930844f, 0.010351519f, -0.0098135984f] },
    };

    [Theory, MemberData(nameof(Sequences))]
    public void Return_sequences_matches_pytorch_for_every_merge_mode(string mode, float[] expected)
    {
        var y = Make(mode, returnSequences: true).Call(Input);
        TensorAssert.ShapeIs(mode == "concat" ? [2, 3, 4] : [2, 3, 2], y);
        TensorAssert.Close(expected, y, atol: 2e-6f);
    }

    [Fact]
    public void Last_output_concatenates_forward_end_and_backward_end()
    {
        var y = Make("concat", returnSequences: false).Call(Input);
        TensorAssert.Close([0.18815427f, 0.14489157f, -0.11113466f, 0.24895327f, 0.18197556f, 0.11385124f, 0.058521457f, -0.10336524f], y, atol: 2e-6f);
    }

    [Fact]
    public void Return_state_gives_outputs_then_forward_then_backward_states()
    {
        var outs = Make("concat", returnSequences: false, returnState: true).CallOutputs(Input);
        Assert.Equal(5, outs.Count);
        TensorAssert.Close([0.18815427f, 0.14489157f, 0.18197556f, 0.11385124f], outs[1], atol: 2e-6f);     // forward h
        TensorAssert.Close([0.67015028f, 0.39628199f, 0.38525009f, 0.21876496f], outs[2], atol: 2e-6f);     // forward c
        TensorAssert.Close([-0.11113466f, 0.24895327f, 0.058521457f, -0.10336524f], outs[3], atol: 2e-6f);  // backward h
        TensorAssert.Close([-0.23307014f, 0.45671666f, 0.14033529f, -0.20006409f], outs[4], atol: 2e-6f);   // backward c
    }

    [Fact]
    public void Merge_mode_null_gives_two_outputs_the_backward_one_in_input_time_order()
    {
        var b = Make(null, returnSequences: true);
        Assert.Equal(2, b.OutputCount);
        var outs = b.CallOutputs(Input);
        var concat = Make("concat", returnSequences: true).Call(Input);
        TensorAssert.Close(Ops.Slice(concat, 2, 0, 2), outs[0], atol: 1e-7f);
        TensorAssert.Close(Ops.Slice(concat, 2, 2, 2), outs[1], atol: 1e-7f);
    }

    [Fact]
    public void Copies_are_named_and_flipped_as_keras_does()
    {
        var b = new Bidirectional(new LSTM(3, name: "enc"), name: "bi");
        Assert.Equal("forward_enc", b.ForwardLayer.Name);
        Assert.Equal("backward_enc", b.BackwardLayer.Name);
        Assert.False(b.ForwardLayer.GoBackwards);
        Assert.True(b.BackwardLayer.GoBackwards);
        b.Call(Tensor.Zeros([1, 4, 5]));
        Assert.Equal(2 * 4 * 3 * (5 + 3 + 1), b.CountParams());
        Assert.Equal(["vars", "forward_layer/vars", "forward_layer/cell/vars", "backward_layer/vars", "backward_layer/cell/vars"],
            b.KerasVariables().Select(p => p.Path));
        var c = b.GetConfig();
        Assert.Equal("concat", (string?)c["merge_mode"]);
        Assert.Equal("forward_enc", (string?)c["layer"]!["config"]!["name"]);
        Assert.Equal(true, (bool?)c["backward_layer"]!["config"]!["go_backwards"]);
    }

    [Fact]
    public void Bad_arguments_name_the_layer()
    {
        Assert.Contains("'bad'", Assert.Throws<ArgumentException>(() => new Bidirectional(new LSTM(2), mergeMode: "max", name: "bad")).Message);
        var e = Assert.Throws<ArgumentException>(() => new Bidirectional(new LSTM(2), backwardLayer: new LSTM(2), name: "b2"));
        Assert.Contains("goBackwards", e.Message);
        Assert.Throws<ArgumentException>(() => new Bidirectional(new GRU(2), name: "b3").Call(Tensor.Zeros([2, 3])));
    }

    [Fact]
    public void A_mask_makes_masked_steps_count_as_absent_in_both_directions()
    {
        // Sample 0's last step is masked: the result equals running on its first two steps only.
        var b = Make("concat", returnSequences: false);
        var mask = Tensor.FromArray([1f, 1f, 0f, 1f, 1f, 1f], [2, 3]);
        var masked = b.Call(Input, training: false, mask: mask);
        var shortX = Ops.Slice(Input, [0, 0, 0], [1, 2, 2]);
        TensorAssert.Close(Make("concat", returnSequences: false, buildOn: shortX).Call(shortX), Ops.Slice(masked, 0, 0, 1), atol: 1e-6f);
        TensorAssert.Close(b.Call(Ops.Slice(Input, 0, 1, 1)), Ops.Slice(masked, 0, 1, 1), atol: 1e-6f);
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var b = new Bidirectional(new GRU(2, returnSequences: true), mergeMode: "ave");
        var x = Tensor.RandomUniform([2, 3, 2], -1f, 1f, seed: 8);
        b.Call(x);
        GradCheck.Check(t => b.Call(t[0]), [x], what: "Bidirectional input");
        GradCheck.Check(t => b.Call(x), [b.Weights[3]], what: "Bidirectional backward kernel");
    }

    [Fact] public void Harness_lstm_concat() => LayerHarness.Check(() => new Bidirectional(new LSTM(3)), [[4, 2]], [6], 2 * 4 * 3 * (2 + 3 + 1));
    [Fact] public void Harness_simple_rnn_sequences_sum() =>
        LayerHarness.Check(() => new Bidirectional(new SimpleRNN(3, returnSequences: true), mergeMode: "sum"), [[4, 2]], [4, 3], 2 * 3 * (2 + 3 + 1));

    [Theory]
    [InlineData("m.keras")]
    [InlineData("m.h5")]
    public void A_model_with_bidirectional_round_trips(string file)
    {
        var model = new Sequential([new Input([5]), new Embedding(inputDim: 20, outputDim: 4), new Bidirectional(new LSTM(3)), new Dense(1, activation: "sigmoid")]);
        string path = Path.Combine(_dir, file);
        model.Save(path);
        var loaded = Model.Load(path);
        var x = Tensor.FromArray(Enumerable.Range(0, 15).Select(i => (float)(i % 20)).ToArray(), [3, 5]);
        TensorAssert.Close(model.Predict(x, verbose: 0), loaded.Predict(x, verbose: 0), atol: 0, rtol: 0);
        Assert.Equal(model.Layers[1].GetConfig().ToJsonString(), loaded.Layers[1].GetConfig().ToJsonString());
    }
}
