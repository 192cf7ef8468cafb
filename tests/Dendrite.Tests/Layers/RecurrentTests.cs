using Dendrite.Backends;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Layers;

/// <summary>The recurrent op and layers against PyTorch references (<see cref="RecurrentReferences"/>).</summary>
public class RecurrentTests
{
    public static TheoryData<string> Cases() =>
        ["Lstm", "LstmBackwards", "LstmMasked", "GruResetAfter", "GruResetAfterBackwardsMasked", "GruResetBefore", "GruResetBeforeMasked",
         "SimpleRnn", "SimpleRnnBackwardsMasked"];

    internal static RnnCase Get(string name) => name switch
    {
        "Lstm" => RecurrentReferences.Lstm, "LstmBackwards" => RecurrentReferences.LstmBackwards, "LstmMasked" => RecurrentReferences.LstmMasked,
        "GruResetAfter" => RecurrentReferences.GruResetAfter, "GruResetAfterBackwardsMasked" => RecurrentReferences.GruResetAfterBackwardsMasked,
        "GruResetBefore" => RecurrentReferences.GruResetBefore, "GruResetBeforeMasked" => RecurrentReferences.GruResetBeforeMasked,
        "SimpleRnn" => RecurrentReferences.SimpleRnn, _ => RecurrentReferences.SimpleRnnBackwardsMasked,
    };

    private static RecurrentCell CellOf(RnnCase c) => c.Cell switch
    {
        "lstm" => RecurrentCell.Lstm, "gru_after" => RecurrentCell.GruResetAfter, "gru_before" => RecurrentCell.GruResetBefore, _ => RecurrentCell.SimpleRnn,
    };

    private static int Gates(RnnCase c) => c.Cell switch { "lstm" => 4, "rnn" => 1, _ => 3 };

    private static (Tensor X, Tensor K, Tensor U, Tensor B, Tensor? Mask) Inputs(RnnCase c)
    {
        int g = Gates(c) * c.U;
        var x = Tensor.FromArray(c.X, [c.N, c.T, c.F]);
        var k = Tensor.FromArray(c.Kernel, [c.F, g]);
        var u = Tensor.FromArray(c.RecurrentKernel, [c.U, g]);
        var b = c.Cell == "gru_after" ? Tensor.FromArray(c.Bias, [2, g]) : Tensor.FromArray(c.Bias, [g]);
        var m = c.Mask is null ? null : Tensor.FromArray(c.Mask, [c.N, c.T]);
        return (x, k, u, b, m);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Op_output_and_gradients_match_pytorch(string name)
    {
        var c = Get(name);
        var (x, k, u, b, m) = Inputs(c);
        foreach (var t in new[] { x, k, u, b }) t.RequiresGrad = true;
        var y = Ops.Recurrent(CellOf(c), x, k, u, b, c.U, goBackwards: c.GoBackwards, mask: m);
        TensorAssert.Close(c.Y, y, atol: 2e-6f, what: $"{name} output");
        Ops.Sum(Ops.Mul(y, Tensor.FromArray(c.WOut, [c.N, c.T, c.U]))).Backward();
        TensorAssert.Close(c.DX, x.Grad!, atol: 2e-6f, what: $"{name} dx");
        TensorAssert.Close(c.DKernel, k.Grad!, atol: 2e-6f, what: $"{name} dkernel");
        TensorAssert.Close(c.DRecurrentKernel, u.Grad!, atol: 2e-6f, what: $"{name} drecurrent_kernel");
        TensorAssert.Close(c.DBias, b.Grad!, atol: 2e-6f, what: $"{name} dbias");
    }

    [Theory, MemberData(nameof(Cases))]
    public void Op_gradients_match_finite_differences(string name)
    {
        var c = Get(name);
        var (x, k, u, b, m) = Inputs(c);
        GradCheck.Check(a => Ops.Recurrent(CellOf(c), a[0], a[1], a[2], a[3], c.U, goBackwards: c.GoBackwards, mask: m),
            [x, k, u, b], what: name);
    }

    [Fact]
    public void Op_gradients_with_recurrent_dropout_and_the_cell_row_match_finite_differences()
    {
        foreach (var name in new[] { "Lstm", "GruResetAfter", "GruResetBefore", "SimpleRnn" })
        {
            var c = Get(name);
            var (x, k, u, b, _) = Inputs(c);
            var rm = Tensor.FromArray([2f, 0f, 2f, 0f, 2f, 2f], [c.N, c.U]);
            GradCheck.Check(a => Ops.Recurrent(CellOf(c), a[0], a[1], a[2], a[3], c.U, recurrentMask: rm, wantCell: true), [x, k, u, b], what: name);
        }
    }

    private static RecurrentLayer Layer(RnnCase c, bool returnSequences = false, bool returnState = false, bool stateful = false) => c.Cell switch
    {
        "lstm" => new LSTM(c.U, returnSequences: returnSequences, returnState: returnState, goBackwards: c.GoBackwards, stateful: stateful),
        "gru_after" => new GRU(c.U, returnSequences: returnSequences, returnState: returnState, goBackwards: c.GoBackwards, stateful: stateful),
        "gru_before" => new GRU(c.U, resetAfter: false, returnSequences: returnSequences, returnState: returnState, goBackwards: c.GoBackwards, stateful: stateful),
        _ => new SimpleRNN(c.U, returnSequences: returnSequences, returnState: returnState, goBackwards: c.GoBackwards, stateful: stateful),
    };

    private static float[] LastStep(RnnCase c) =>
        Enumerable.Range(0, c.N).SelectMany(n => c.Y.Skip((n * c.T + c.T - 1) * c.U).Take(c.U)).ToArray();

    [Theory, MemberData(nameof(Cases))]
    public void Layers_return_the_sequence_the_last_output_and_the_states(string name)
    {
        var c = Get(name);
        var (x, k, u, b, m) = Inputs(c);
        var seq = Layer(c, returnSequences: true);
        seq.EnsureBuilt([new Shape([c.T, c.F])]);
        seq.SetWeights([k, u, b]);
        TensorAssert.Close(c.Y, seq.Call(x, training: false, mask: m), atol: 2e-6f);
        var last = Layer(c, returnState: true);
        last.EnsureBuilt([new Shape([c.T, c.F])]);
        last.SetWeights([k, u, b]);
        var outs = last.CallOutputs(x, mask: m);
        Assert.Equal(c.Cell == "lstm" ? 3 : 2, outs.Count);
        TensorAssert.Close(LastStep(c), outs[0], atol: 2e-6f);
        TensorAssert.Close(LastStep(c), outs[1], atol: 2e-6f);
        if (c.Cell == "lstm") TensorAssert.Close(c.C, outs[2], atol: 2e-6f);
    }

    [Fact]
    public void Stateful_layers_carry_the_state_across_calls_until_reset()
    {
        var c = RecurrentReferences.Lstm;
        var (x, k, u, b, _) = Inputs(c);
        var lstm = new LSTM(c.U, returnSequences: true, stateful: true);
        lstm.EnsureBuilt([new Shape([2, c.F])]);
        lstm.SetWeights([k, u, b]);
        var y1 = lstm.Call(Ops.Slice(x, 1, 0, 2));
        var y2 = lstm.Call(Ops.Slice(x, 1, 2, 2));
        TensorAssert.Close(c.Y, Ops.Concat([y1, y2], 1), atol: 2e-6f);
        lstm.ResetStates();
        TensorAssert.Close(y1, lstm.Call(Ops.Slice(x, 1, 0, 2)), atol: 1e-7f);
        Assert.Throws<ArgumentException>(() => lstm.Call(Tensor.Zeros([3, 2, c.F])));
    }

    [Fact]
    public void Functional_return_state_yields_output_h_and_c()
    {
        var c = RecurrentReferences.Lstm;
        var (x, k, u, b, _) = Inputs(c);
        var input = new Input([c.T, c.F]);
        var lstm = new LSTM(c.U, returnState: true);
        var outs = lstm.CallOutputs(input);
        Assert.Equal(3, outs.Count);
        Assert.Equal([0, 1, 2], outs.Select(o => o.Index));
        lstm.SetWeights([k, u, b]);
        var model = new Model([input], [outs[2], Dense(outs[1])]);
        var results = model.Run([x], training: false);
        TensorAssert.Close(c.C, results[0], atol: 2e-6f);
        TensorAssert.Close(LastStep(c), results[1], atol: 2e-6f);

        // The tensor index survives a config round trip.
        var clone = (Model)ModelDeserializer.Deserialize(ModelSerializer.Serialize(model));
        clone.SetWeights(model.GetWeights());
        TensorAssert.Close(c.C, clone.Run([x], training: false)[0], atol: 2e-6f);

        static SymbolicTensor Dense(SymbolicTensor t) => new Activation("linear").Call(t);
    }

    [Fact]
    public void Embedding_mask_flows_through_a_sequential_model_to_the_lstm()
    {
        var ids = Tensor.FromArray([3f, 1f, 2f, 0f, 0f, 4f, 2f, 1f, 3f, 2f], [2, 5]);
        var emb = new Embedding(5, 3, maskZero: true, embeddingsInitializer: new Dendrite.Initializers.RandomUniform(-1f, 1f, seed: 3));
        var lstm = new LSTM(4, returnSequences: true);
        var model = new Sequential([new Input([5]), emb, lstm]);
        var y = model.Run([ids], training: false)[0];
        var mask = Ops.NotEqual(ids, 0f);
        TensorAssert.Close(lstm.Call(emb.Call(ids), training: false, mask: mask), y, atol: 1e-7f);
        // Steps 3 and 4 of sample 0 are padding: the output repeats step 2's.
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(y[0, 2, j], y[0, 3, j]);
            Assert.Equal(y[0, 2, j], y[0, 4, j]);
        }
        Assert.NotEqual(y[1, 2, 0], y[1, 3, 0]);
    }

    [Fact]
    public void Masking_zeroes_and_masks_the_padded_steps()
    {
        var x = Tensor.FromArray([1f, 2f, 0f, 0f, 0f, 3f, -1f, -1f, 5f, -1f, -1f, -1f], [2, 3, 2]);
        var masking = new Masking(maskValue: -1);
        TensorAssert.Close([1f, 2f, 0f, 0f, 0f, 3f, 0f, 0f, 5f, -1f, 0f, 0f], masking.Call(x));
        TensorAssert.Close([1f, 1f, 1f, 0f, 1f, 0f], masking.ComputeMask([x], null)!);
        var rnn = new SimpleRNN(2, returnSequences: true, kernelInitializer: new Dendrite.Initializers.Ones(), recurrentInitializer: new Dendrite.Initializers.Zeros());
        var y = new Sequential([new Input([3, 2]), masking, rnn]).Run([x], training: false)[0];
        Assert.Equal(0f, y[1, 0, 0]); // the first step is masked: the initial zero state
        Assert.Equal(MathF.Tanh(4f), y[1, 1, 1], 6);
        Assert.Equal(MathF.Tanh(4f), y[1, 2, 1], 6);
    }

    [Fact]
    public void Embedding_gathers_rows_and_scatters_gradients()
    {
        var emb = new Embedding(4, 2, embeddingsInitializer: new Dendrite.Initializers.Zeros());
        emb.EnsureBuilt([new Shape([3])]);
        emb.SetWeights([Tensor.FromArray([0f, 1f, 10f, 11f, 20f, 21f, 30f, 31f], [4, 2])]);
        var y = emb.Call(Tensor.FromArray([2f, 0f, 2f], [1, 3]));
        TensorAssert.Close([20f, 21f, 0f, 1f, 20f, 21f], y);
        TensorAssert.ShapeIs([1, 3, 2], y);
        Ops.Sum(Ops.Mul(y, Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], [1, 3, 2]))).Backward();
        TensorAssert.Close([3f, 4f, 0f, 0f, 6f, 8f, 0f, 0f], emb.Embeddings.Grad!);
        var e = Assert.Throws<ArgumentException>(() => emb.Call(Tensor.FromArray([1f, 4f, 0f], [1, 3])));
        Assert.Contains(emb.Name, e.Message);
        Assert.Contains("token id 4", e.Message);
        Assert.Throws<ArgumentException>(() => emb.Call(Tensor.FromArray([1.5f, 0f, 0f], [1, 3])));
        Assert.Throws<ArgumentException>(() => emb.Call(Tensor.FromArray([-1f, 0f, 0f], [1, 3])));
    }

    [Fact]
    public void Bad_input_names_the_layer_and_the_shape()
    {
        var lstm = new LSTM(3);
        var e = Assert.Throws<ArgumentException>(() => lstm.Call(Tensor.Zeros([2, 5])));
        Assert.Contains(lstm.Name, e.Message);
        Assert.Contains("(None, 5)", e.Message);
        Assert.Throws<ArgumentException>(() => new GRU(2, activation: "softmax"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimpleRNN(0));
    }

    [Fact]
    public void Defaults_and_weights_follow_keras()
    {
        var lstm = new LSTM(2);
        lstm.EnsureBuilt([new Shape([5, 3])]);
        Assert.Equal([new Shape([3, 8]), new Shape([2, 8]), new Shape([8])], lstm.Weights.Select(w => w.Shape));
        TensorAssert.Close([0f, 0f, 1f, 1f, 0f, 0f, 0f, 0f], lstm.Bias!);
        Assert.Equal("lstm_1/lstm_cell/kernel".Split('/')[1..], lstm.Kernel.Name!.Split('/')[1..]);
        var gru = new GRU(2);
        gru.EnsureBuilt([new Shape([5, 3])]);
        Assert.Equal(new Shape([2, 6]), gru.Bias!.Shape);
        var gru2 = new GRU(2, resetAfter: false);
        gru2.EnsureBuilt([new Shape([5, 3])]);
        Assert.Equal(new Shape([6]), gru2.Bias!.Shape);
        // The recurrent kernel starts orthogonal: its rows (2 of 8 columns) are orthonormal.
        var u = lstm.RecurrentKernel;
        TensorAssert.Close([1f, 0f, 0f, 1f], Ops.MatMul(u, Ops.Transpose(u, 1, 0)), atol: 1e-5f);
        Assert.Equal(new[] { ("vars", 0), ("cell/vars", 3) }, lstm.KerasVariables().Select(p => (p.Path, p.Variables.Count)));
    }

    [Fact]
    public void Go_backwards_flips_through_the_registry()
    {
        foreach (var layer in new Layer[] { new LSTM(3, returnSequences: true), new GRU(2, resetAfter: false), new SimpleRNN(4, stateful: true) })
        {
            var config = layer.GetConfig();
            config["go_backwards"] = true;
            config["name"] = "backward_" + layer.Name;
            var rev = (RecurrentLayer)LayerRegistry.FromConfig(layer.ClassName, config);
            Assert.True(rev.GoBackwards);
            Assert.Equal("backward_" + layer.Name, rev.Name);
            Assert.Equal(((RecurrentLayer)layer).Units, rev.Units);
            Assert.Equal(((RecurrentLayer)layer).Stateful, rev.Stateful);
        }
    }

    [Fact]
    public void Lstm_with_keras_2_hard_sigmoid_gates_matches_numpy()
    {
        // NumPy (float64) reference: gates i, f, c, o with clip(0.2 z + 0.5, 0, 1); the pre-activations reach -2.1 and 3.59,
        // so both the slope and the saturation are exercised.
        var x = Tensor.FromArray([1.5f, -2.0f, 3.0f, 0.5f, -1.0f, 2.5f], [1, 3, 2]);
        var k = Tensor.FromArray([0.5f, -0.4f, 0.3f, 0.8f, -0.6f, 0.2f, 0.1f, -0.7f, 0.9f, 0.25f, -0.35f, 0.45f, 0.6f, -0.15f, 0.7f, 0.05f], [2, 8]);
        var u = Tensor.FromArray([0.3f, -0.2f, 0.5f, 0.1f, -0.4f, 0.6f, 0.2f, -0.3f, -0.1f, 0.4f, 0.35f, -0.5f, 0.15f, 0.25f, -0.45f, 0.55f], [2, 8]);
        var b = Tensor.FromArray([0.1f, -0.1f, 1.0f, 1.0f, 0.0f, 0.2f, -0.2f, 0.3f]);
        float[] expected =
        [
            -0.061337061991780024f, 0.056414930749844806f, -0.459248257622346f, 0.050363768583492056f,
            0.27378850410254496f, -0.10938350922593708f,
        ];
        var lstm = new LSTM(2, recurrentActivation: Activations.HardSigmoidKeras2, returnSequences: true);
        lstm.EnsureBuilt([new Shape([3, 2])]);
        lstm.SetWeights([k, u, b]);
        TensorAssert.Close(expected, lstm.Call(x), atol: 1e-6f, rtol: 1e-6f);
        GradCheck.Check(t => lstm.Call(t[0]), [x], atol: 1e-4, rtol: 1e-3, what: "LSTM hard_sigmoid_keras2 dx");
    }

    [Fact] public void Harness_LSTM() => LayerHarness.Check(() => new LSTM(3, kernelRegularizer: "l2"), [[4, 2]], [3], 2 * 12 + 3 * 12 + 12);
    [Fact] public void Harness_LSTM_sequences_with_dropout() =>
        LayerHarness.Check(() => new LSTM(2, returnSequences: true, dropout: 0.2, recurrentDropout: 0.2, seed: 1), [[4, 2]], [4, 2], 2 * 8 + 2 * 8 + 8);
    [Fact] public void Harness_GRU() => LayerHarness.Check(() => new GRU(3, goBackwards: true), [[4, 2]], [3], 2 * 9 + 3 * 9 + 18);
    [Fact] public void Harness_GRU_reset_before() => LayerHarness.Check(() => new GRU(3, resetAfter: false, returnSequences: true), [[4, 2]], [4, 3], 2 * 9 + 3 * 9 + 9);
    [Fact] public void Harness_SimpleRNN() => LayerHarness.Check(() => new SimpleRNN(3, activation: "relu"), [[4, 2]], [3], 6 + 9 + 3);
    [Fact] public void Harness_Masking() => LayerHarness.Check(() => new Masking(), [[4, 2]], [4, 2], 0);
    [Fact] public void Harness_Embedding() =>
        LayerHarness.Check(() => new Embedding(6, 3), [[5]], [5, 3], 18, batchOf: s => Tensor.FromArray(Enumerable.Range(0, 4 * s[0]).Select(i => (float)(i * 7 % 6)).ToArray(), [4, .. s]));
}
