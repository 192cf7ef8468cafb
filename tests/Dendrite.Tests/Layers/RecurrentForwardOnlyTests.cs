using System.Runtime.Intrinsics;
using Dendrite.Autodiff;
using Dendrite.Backends;
using Dendrite.Backends.Cpu.Recurrent;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Layers;

/// <summary>
/// The forward-only recurrent path (no gradient wanted) against the training forward and the PyTorch references, and
/// the accuracy of its vectorised gate functions.
/// </summary>
public class RecurrentForwardOnlyTests
{
    [Theory, MemberData(nameof(RecurrentTests.Cases), MemberType = typeof(RecurrentTests))]
    public void Forward_only_output_matches_pytorch(string name)
    {
        var c = RecurrentTests.Get(name);
        int g = (c.Cell switch { "lstm" => 4, "rnn" => 1, _ => 3 }) * c.U;
        var cell = c.Cell switch
        {
            "lstm" => RecurrentCell.Lstm, "gru_after" => RecurrentCell.GruResetAfter, "gru_before" => RecurrentCell.GruResetBefore, _ => RecurrentCell.SimpleRnn,
        };
        var b = c.Cell == "gru_after" ? Tensor.FromArray(c.Bias, [2, g]) : Tensor.FromArray(c.Bias, [g]);
        using var _ = GradMode.NoGrad();
        var y = Ops.Recurrent(cell, Tensor.FromArray(c.X, [c.N, c.T, c.F]), Tensor.FromArray(c.Kernel, [c.F, g]),
            Tensor.FromArray(c.RecurrentKernel, [c.U, g]), b, c.U, goBackwards: c.GoBackwards,
            mask: c.Mask is null ? null : Tensor.FromArray(c.Mask, [c.N, c.T]));
        TensorAssert.Close(c.Y, y, atol: 2e-6f, what: $"{name} forward-only output");
    }

    public static TheoryData<RecurrentCell, bool, bool, bool> Variants()
    {
        var d = new TheoryData<RecurrentCell, bool, bool, bool>();
        foreach (var cell in new[] { RecurrentCell.Lstm, RecurrentCell.GruResetAfter, RecurrentCell.GruResetBefore, RecurrentCell.SimpleRnn })
            foreach (bool masked in new[] { false, true })
                foreach (bool backwards in new[] { false, true })
                    foreach (bool lastOnly in new[] { false, true })
                        d.Add(cell, masked, backwards, lastOnly);
        return d;
    }

    /// <summary>u = 27 runs the 16-wide, 8-wide and scalar parts of the fused LSTM kernel; n = 9 splits rows among lanes.</summary>
    [Theory, MemberData(nameof(Variants))]
    public void Forward_only_equals_the_training_forward(RecurrentCell cell, bool masked, bool backwards, bool lastOnly)
    {
        const int n = 9, t = 6, f = 5, u = 27;
        int g = (cell switch { RecurrentCell.Lstm => 4, RecurrentCell.SimpleRnn => 1, _ => 3 }) * u;
        var x = Tensor.RandomUniform([n, t, f], -2f, 2f, seed: 1);
        var k = Tensor.RandomUniform([f, g], -0.6f, 0.6f, seed: 2);
        var rk = Tensor.RandomUniform([u, g], -0.4f, 0.4f, seed: 3);
        var b = Tensor.RandomUniform(cell == RecurrentCell.GruResetAfter ? [2, g] : [g], -0.5f, 0.5f, seed: 4);
        var h0 = Tensor.RandomUniform([n, u], -1f, 1f, seed: 5);
        var c0 = cell == RecurrentCell.Lstm ? Tensor.RandomUniform([n, u], -1f, 1f, seed: 6) : null;
        Tensor? mask = null;
        if (masked)
        {
            var m = new float[n * t];
            for (int i = 0; i < m.Length; i++) m[i] = (i * 7 % 5 == 0) ? 0f : 1f;
            mask = Tensor.FromArray(m, [n, t]);
        }
        bool wantCell = cell == RecurrentCell.Lstm;
        Tensor Run(bool grad) =>
            Ops.Recurrent(cell, x, k, rk, b, u, goBackwards: backwards, h0: h0, c0: c0, mask: mask, wantCell: wantCell, lastOnly: lastOnly);
        foreach (var w in new[] { k, rk, b }) w.RequiresGrad = true;
        var trained = Run(true);
        Assert.True(trained.RequiresGrad, "the reference must come from the recorded (training) forward");
        Tensor only;
        using (GradMode.NoGrad()) only = Run(false);
        Assert.False(only.RequiresGrad);
        int rows = (lastOnly ? 1 : t) + (wantCell ? 1 : 0);
        TensorAssert.ShapeIs([n, rows, u], only);
        TensorAssert.Close(trained, only, atol: 1e-6f, rtol: 0f, what: $"{cell} masked={masked} backwards={backwards} lastOnly={lastOnly}");
        if (lastOnly)
        {
            // The last step of the full sequence (and the cell row after it).
            Tensor full;
            using (GradMode.NoGrad()) full = Ops.Recurrent(cell, x, k, rk, b, u, goBackwards: backwards, h0: h0, c0: c0, mask: mask, wantCell: wantCell);
            TensorAssert.Close(Ops.Slice(full, 1, t - 1, rows), only, atol: 0f, rtol: 0f, what: "last rows");
        }
    }

    [Fact]
    public void Forward_only_lstm_with_hard_sigmoid_gates_equals_the_training_forward()
    {
        var x = Tensor.RandomUniform([6, 5, 4], -2f, 2f, seed: 7);
        var lstm = new Dendrite.Layers.LSTM(units: 19, recurrentActivation: "hard_sigmoid", returnSequences: true);
        var trained = lstm.Call(x);
        Assert.True(trained.RequiresGrad);
        Tensor only;
        using (GradMode.NoGrad()) only = lstm.Call(x);
        TensorAssert.Close(trained, only, atol: 1e-6f, rtol: 0f);
    }

    [Fact]
    public void Gate_functions_stay_within_their_error_bounds()
    {
        // Every float in [-30, 30] at a step of 2^-12, plus tiny magnitudes, in all three code paths.
        var xs = new List<float>();
        for (float v = -30f; v <= 30f; v += 1f / 4096) xs.Add(v);
        for (float v = 1e-8f; v < 1e-2f; v *= 1.37f) { xs.Add(v); xs.Add(-v); }
        xs.AddRange([0f, -0f, 88f, -88f, 100f, -100f, float.MaxValue, float.MinValue]);
        double sigErr = 0, tanhErr = 0;
        void Check(float x, float s, float th)
        {
            double es = 1.0 / (1.0 + Math.Exp(-(double)x)), et = Math.Tanh(x);
            Assert.False(float.IsNaN(s) || float.IsNaN(th), $"NaN at {x}");
            sigErr = Math.Max(sigErr, Math.Abs(s - es));
            tanhErr = Math.Max(tanhErr, Math.Abs(th - et));
        }
        var a = xs.ToArray();
        for (int i = 0; i < a.Length; i++) Check(a[i], FastGates.Sigmoid(a[i]), FastGates.Tanh(a[i]));
        int paths = 1;
        if (Vector512.IsHardwareAccelerated)
        {
            paths++;
            for (int i = 0; i + 16 <= a.Length; i += 16)
            {
                var v = Vector512.Create(a.AsSpan(i, 16));
                var s = FastGates.Sigmoid(v);
                var th = FastGates.Tanh(v);
                for (int j = 0; j < 16; j++) Check(a[i + j], s[j], th[j]);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            paths++;
            for (int i = 0; i + 8 <= a.Length; i += 8)
            {
                var v = Vector256.Create(a.AsSpan(i, 8));
                var s = FastGates.Sigmoid(v);
                var th = FastGates.Tanh(v);
                for (int j = 0; j < 8; j++) Check(a[i + j], s[j], th[j]);
            }
        }
        Assert.True(sigErr <= 1.5e-7, $"sigmoid's largest error {sigErr:E3} over {paths} paths");
        Assert.True(tanhErr <= 2.5e-7, $"tanh's largest error {tanhErr:E3} over {paths} paths");
        Assert.Equal(1f, FastGates.Sigmoid(100f));
        Assert.InRange(FastGates.Sigmoid(-100f), 0f, 1e-38f); // exp's argument is clamped at 88.3
        Assert.Equal(-1f, FastGates.Tanh(-100f));
    }
}

/// <summary>The forward-only LSTM fed by an Embedding reads rows of table · kernel (cached per weight version).</summary>
public class EmbeddingProjectionTests
{
    private static (Dendrite.Layers.Embedding Emb, Dendrite.Layers.LSTM Lstm, Tensor Ids) Make(bool returnSequences, string gates = "sigmoid")
    {
        const int vocab = 30, n = 7, t = 6;
        var emb = new Dendrite.Layers.Embedding(inputDim: vocab, outputDim: 5, maskZero: true);
        var lstm = new Dendrite.Layers.LSTM(units: 27, recurrentActivation: gates, returnSequences: returnSequences);
        var ids = new float[n * t];
        for (int i = 0; i < ids.Length; i++) ids[i] = (i * 13 + 5) % vocab;
        ids[3] = 0f;
        ids[20] = 0f;
        return (emb, lstm, Tensor.FromArray(ids, [n, t]));
    }

    private static Tensor Run(Dendrite.Layers.Embedding emb, Dendrite.Layers.LSTM lstm, Tensor ids, bool masked)
    {
        var x = emb.Call(ids);
        return masked ? lstm.Call(x, training: false, mask: emb.ComputeMask([ids], null)) : lstm.Call(x);
    }

    [Theory]
    [InlineData(false, false, "sigmoid")]
    [InlineData(true, false, "sigmoid")]
    [InlineData(false, true, "sigmoid")]
    [InlineData(true, true, "hard_sigmoid")]
    public void Lstm_on_embedding_rows_equals_the_training_forward(bool returnSequences, bool masked, string gates)
    {
        var (emb, lstm, ids) = Make(returnSequences, gates);
        var trained = Run(emb, lstm, ids, masked);
        Assert.True(trained.RequiresGrad);
        using var _ = GradMode.NoGrad();
        var x = emb.Call(ids);
        Assert.NotNull(x.SourceEmbedding);
        Assert.NotNull(EmbeddingProjection.Get(emb.Embeddings, lstm.Kernel, ids.Size));
        TensorAssert.Close(trained, Run(emb, lstm, ids, masked), atol: 1e-6f, rtol: 0f);
    }

    [Fact]
    public void A_weight_change_rebuilds_the_projection()
    {
        var (emb, lstm, ids) = Make(returnSequences: false);
        Tensor first;
        using (GradMode.NoGrad()) first = Run(emb, lstm, ids, masked: false);
        foreach (var w in new[] { emb.Embeddings, lstm.Kernel })
        {
            var s = w.AsSpan();
            for (int i = 0; i < s.Length; i += 3) s[i] += 0.25f;
            var trained = Run(emb, lstm, ids, masked: false);
            Tensor again;
            using (GradMode.NoGrad()) again = Run(emb, lstm, ids, masked: false);
            TensorAssert.Close(trained, again, atol: 1e-6f, rtol: 0f, what: w.Name);
            Assert.True(Math.Abs(first.AsSpan()[0] - again.AsSpan()[0]) > 1e-4f || Math.Abs(first.AsSpan()[1] - again.AsSpan()[1]) > 1e-4f,
                "the change must show in the output");
            first = again;
        }
    }

    [Fact]
    public void Predict_of_an_embedding_lstm_model_equals_the_training_forward()
    {
        var model = new Dendrite.Models.Sequential([new Dendrite.Layers.Input(shape: [6]), new Dendrite.Layers.Embedding(inputDim: 30, outputDim: 5),
            new Dendrite.Layers.LSTM(units: 27), new Dendrite.Layers.Dense(1, activation: "sigmoid")]);
        var ids = new float[7 * 6];
        for (int i = 0; i < ids.Length; i++) ids[i] = (i * 11 + 2) % 30;
        var x = Tensor.FromArray(ids, [7, 6]);
        var expected = model.Call(x);
        Assert.True(expected.RequiresGrad);
        TensorAssert.Close(expected, model.Predict(x, batchSize: 4, verbose: 0), atol: 1e-6f, rtol: 0f);
    }
}
