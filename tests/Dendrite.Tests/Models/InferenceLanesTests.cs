using Dendrite.Tests.TestKit;
using Dendrite.Initializers;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Models;

/// <summary>
/// Predict and Evaluate on the general path split a batch into row lanes that walk the graph at the same time; the
/// results equal those of one piece (and, for a Dense chain, those of the tape) for a chain, a graph
/// with two inputs and outputs and a shared layer, a convolutional and a recurrent model, the last partial batch included.
/// </summary>
public class InferenceLanesTests
{
    private const float Tolerance = 1e-6f;

    private static int ExpectedLanes => Math.Min(2, Dendrite.Backends.Backend.Current.Lanes);

    private static Model Chain()
    {
        var m = new Sequential([new Input(shape: [300]), new Dense(200, activation: "relu", kernelInitializer: new GlorotUniform(1)),
            new Dense(150, activation: "relu", kernelInitializer: new GlorotUniform(2)), new Dense(10, activation: "softmax", kernelInitializer: new GlorotUniform(3))]);
        m.Compile(optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"]);
        return m;
    }

    private static Model Graph()
    {
        var a = new Input(shape: [120], name: "a");
        var b = new Input(shape: [40], name: "b");
        var shared = new Dense(64, activation: "tanh", kernelInitializer: new GlorotUniform(4));
        var ha = shared.Call(new Dense(40, activation: "relu", kernelInitializer: new GlorotUniform(5)).Call(a));
        var hb = shared.Call(b);
        var merged = new Concatenate().Call(new Add().Call(ha, hb), hb);
        var o1 = new Dense(10, activation: "softmax", kernelInitializer: new GlorotUniform(6)).Call(merged);
        var o2 = new Dense(3, kernelInitializer: new GlorotUniform(7)).Call(ha);
        return new Model([a, b], [o1, o2]);
    }

    private static Model Cnn()
    {
        var m = new Sequential([new Input(shape: [12, 12, 3]), new Conv2D(8, 3, padding: "same", activation: "relu", kernelInitializer: new GlorotUniform(8)),
            new BatchNormalization(), new MaxPooling2D(2), new Flatten(), new Dense(10, activation: "softmax", kernelInitializer: new GlorotUniform(9))]);
        m.Compile(optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"]);
        return m;
    }

    private static Model Recurrent()
    {
        var m = new Sequential([new Input(shape: [15]), new Embedding(50, 16, maskZero: true),
            new Bidirectional(new GRU(12, returnSequences: true, seed: 1)), new LSTM(20, seed: 2), new Dense(4, activation: "sigmoid", kernelInitializer: new GlorotUniform(10))]);
        m.Compile(optimizer: "adam", loss: "binary_crossentropy");
        return m;
    }

    private static Tensor Ids(int rows, int steps, int seed)
    {
        var ids = Tensor.RandomUniform([rows, steps], 0f, 50f, seed: seed).ToArray().Select(v => MathF.Floor(v)).ToArray();
        for (int r = 0; r < rows; r++) for (int s = 0; s < r % 5; s++) ids[r * steps + s] = 0;   // leading masked steps
        return Tensor.FromArray(ids, [rows, steps]);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray();
        var a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(MathF.Abs(e[i] - a[i]) <= Tolerance, $"element {i}: {e[i]} in one piece, {a[i]} in lanes");
    }

    /// <summary>Every output of the model in one piece and in lanes (batch 64, the last batch partial).</summary>
    private static void CheckLanesMatchOnePiece(Model model, IReadOnlyList<Tensor> x)
    {
        model.InferenceLanesEnabled = false;
        var onePiece = model.PredictOutputs(x, batchSize: 64, verbose: 0);
        Assert.Equal(1, model.LastInferenceLanes);
        model.InferenceLanesEnabled = true;
        var lanes = model.PredictOutputs(x, batchSize: 64, verbose: 0);
        Assert.Equal(ExpectedLanes, model.LastInferenceLanes);
        for (int o = 0; o < onePiece.Count; o++) AssertClose(onePiece[o], lanes[o]);
    }

    /// <summary>The model's output on the tape: a recorded forward pass (trainable weights require gradients, so the
    /// kernels are read in place, not packed).</summary>
    private static Tensor OnTheTape(Model model, Tensor x)
    {
        using var scope = TensorScope.Begin();
        var y = model.Call(x, training: false);
        Assert.False(y.IsLeaf);   // recorded
        return y.Detach().Clone();
    }

    [Fact]
    public void A_dense_chain_predicts_the_same_in_lanes_in_one_piece_and_on_the_tape()
    {
        var model = Chain();
        var x = Tensor.RandomNormal([300, 300], seed: 11);
        CheckLanesMatchOnePiece(model, [x]);
        TensorAssert.Close(OnTheTape(model, x), model.Predict(x, batchSize: 64, verbose: 0), 1e-5f, 1e-5f);
    }

    [Theory]
    [InlineData(200, 64)]   // batches split into lanes, a last batch of 8
    [InlineData(20, 20)]    // one piece
    public void A_chain_with_flatten_dropout_and_a_softmax_layer_predicts_as_the_tape(int samples, int batch)
    {
        var x = Tensor.RandomUniform([samples, 10, 30], -1f, 1f, seed: 8);
        var model = new Sequential([new Input(shape: [10, 30]), new Flatten(), new Dense(100, activation: "relu", kernelInitializer: new GlorotUniform(12)),
            new Dropout(0.2), new Dense(45, kernelInitializer: new GlorotUniform(13)), new Activation("softmax")]);
        TensorAssert.Close(OnTheTape(model, x), model.Predict(x, batchSize: batch, verbose: 0), 1e-5f, 1e-5f);
    }

    /// <summary>Input rows read in place by the Dense layers that take them (no copy of the batch) or copied (an input
    /// that also feeds a merge); either way the predictions are the tape's, in lanes and in one piece, and also when the
    /// Dense has to copy the rows itself (the unfused Dense reads its input's values).</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Inputs_read_in_place_or_copied_predict_as_the_tape(bool inputAlsoMerged, bool unfused)
    {
        var i = new Input(shape: [64]);
        var d1 = new Dense(48, activation: "relu", kernelInitializer: new GlorotUniform(21)).Call(i);
        var d2 = new Dense(48, activation: "relu", kernelInitializer: new GlorotUniform(22)).Call(d1);
        var side = inputAlsoMerged ? i : new Dense(16, activation: "relu", kernelInitializer: new GlorotUniform(23)).Call(i);
        var o = new Dense(10, activation: "softmax", kernelInitializer: new GlorotUniform(24)).Call(new Concatenate().Call(new Add().Call(d1, d2), side));
        var model = new Model(i, o);
        var x = Tensor.RandomNormal([300, 64], seed: 25);
        var expected = OnTheTape(model, x);
        Dendrite.Ops.UnfusedDense = unfused;
        try
        {
            TensorAssert.Close(expected, model.Predict(x, batchSize: 128, verbose: 0), 1e-5f, 1e-5f);
            model.InferenceLanesEnabled = false;
            TensorAssert.Close(expected, model.Predict(x, batchSize: 128, verbose: 0), 1e-5f, 1e-5f);
            TensorAssert.Close(Ops.Slice(expected, [7, 0], [1, 10]), model.Predict(Ops.Slice(x, [7, 0], [1, 64]), verbose: 0), 1e-5f, 1e-5f);
        }
        finally { Dendrite.Ops.UnfusedDense = false; }
    }

    [Fact]
    public void A_batch_of_256_runs_on_two_lanes_per_thread_claimed_one_at_a_time_and_matches_one_piece()
    {
        var model = Chain();
        var x = Tensor.RandomNormal([600, 300], seed: 17);
        model.InferenceLanesEnabled = false;
        var onePiece = model.Predict(x, batchSize: 256, verbose: 0);
        model.InferenceLanesEnabled = true;
        var lanes = model.Predict(x, batchSize: 256, verbose: 0, callbacks: [new BatchCounter()]);   // batch by batch
        Assert.Equal(Dendrite.Backends.Backend.Current.Lanes > 1 ? 2 * Dendrite.Backends.Backend.Current.Lanes : 1, model.LastInferenceLanes);
        AssertClose(onePiece, lanes);
    }

    /// <summary>Counts Predict's batches: with a callback Predict goes batch by batch (each batch in lanes).</summary>
    private sealed class BatchCounter : Dendrite.Callbacks.Callback
    {
        public int Batches;
        public CancellationTokenSource? CancelAfterFirst;

        public override void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
        {
            Batches++;
            CancelAfterFirst?.Cancel();
        }
    }

    /// <summary>Without callbacks or a progress bar, Predict's lanes span the whole call (a batch's share per thread,
    /// claimed across batch boundaries, written straight into the result): the result is the batch-by-batch one to the
    /// last bit, for a chain (lanes of 128 rows, 1,000 rows: a last lane of 104) and a two-input, two-output graph (lanes
    /// of 32 rows, a last lane of 22).</summary>
    [Fact]
    public void Predict_without_callbacks_spans_batches_with_its_lanes_and_gives_the_batch_by_batch_result()
    {
        var chain = Chain();
        var x = Tensor.RandomNormal([1000, 300], seed: 41);
        var counter = new BatchCounter();
        var byBatch = chain.Predict(x, batchSize: 256, verbose: 0, callbacks: [counter]);
        Assert.Equal(4, counter.Batches);
        chain.LastInferenceLanes = 1;
        var whole = chain.Predict(x, batchSize: 256, verbose: 0);
        int threads = Dendrite.Backends.Backend.Current.Lanes, laneRows = Math.Min(128, (256 + threads - 1) / threads);
        Assert.Equal(threads > 1 ? (256 + laneRows - 1) / laneRows : 1, chain.LastInferenceLanes);   // a batch's share per thread
        Assert.Equal(byBatch.ToArray(), whole.ToArray());

        var graph = Graph();
        IReadOnlyList<Tensor> inputs = [Tensor.RandomNormal([150, 120], seed: 42), Tensor.RandomNormal([150, 40], seed: 43)];
        var graphByBatch = graph.PredictOutputs(inputs, batchSize: 64, verbose: 0, callbacks: [new BatchCounter()]);
        var graphWhole = graph.PredictOutputs(inputs, batchSize: 64, verbose: 0);
        for (int o = 0; o < 2; o++) Assert.Equal(graphByBatch[o].ToArray(), graphWhole[o].ToArray());
        graph.InferenceLanesEnabled = false;
        var graphOnePiece = graph.PredictOutputs(inputs, batchSize: 64, verbose: 0);
        for (int o = 0; o < 2; o++) AssertClose(graphOnePiece[o], graphWhole[o]);
    }

    [Fact]
    public void A_cancelled_token_stops_a_prediction_in_lanes()
    {
        var model = Chain();
        var x = Tensor.RandomNormal([2000, 300], seed: 44);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => model.Predict(x, batchSize: 256, verbose: 0, cancellationToken: cancel.Token));
        // The lanes check it too (Predict checks it once before them): nothing is written.
        if (Dendrite.Backends.Backend.Current.Lanes > 1)
        {
            var results = new List<Tensor> { Tensor.Zeros([2000, 10]) };
            Assert.ThrowsAny<OperationCanceledException>(() => model.PredictInLanes([x], 0, 2000, 256, results, cancel.Token));
            Assert.True(results[0].AsSpan().IndexOfAnyExcept(0f) < 0);
        }
        // Cancelled during the call (the first batch's end, batch by batch): the next lanes see it.
        using var during = new CancellationTokenSource();
        var counter = new BatchCounter { CancelAfterFirst = during };
        Assert.ThrowsAny<OperationCanceledException>(() => model.Predict(x, batchSize: 256, verbose: 0, callbacks: [counter], cancellationToken: during.Token));
        Assert.Equal(1, counter.Batches);
    }

    [Fact]
    public void A_graph_with_two_inputs_two_outputs_and_a_shared_layer_predicts_the_same_in_lanes() =>
        CheckLanesMatchOnePiece(Graph(), [Tensor.RandomNormal([150, 120], seed: 12), Tensor.RandomNormal([150, 40], seed: 13)]);

    [Fact]
    public void A_convolutional_model_with_batch_normalization_predicts_the_same_in_lanes()
    {
        var model = Cnn();
        var x = Tensor.RandomUniform([150, 12, 12, 3], seed: 14);
        var y = Ops.OneHot(Enumerable.Range(0, 150).Select(r => r % 10).ToArray(), 10);
        model.Fit(x, y, batchSize: 32, epochs: 1, verbose: 0);   // moving statistics away from 0 and 1
        CheckLanesMatchOnePiece(model, [x]);
    }

    [Fact]
    public void A_masked_recurrent_model_predicts_the_same_in_lanes() =>
        CheckLanesMatchOnePiece(Recurrent(), [Ids(150, 15, 15)]);

    [Fact]
    public void Evaluate_in_lanes_gives_the_loss_and_metrics_of_one_piece()
    {
        var model = Chain();
        var x = Tensor.RandomNormal([300, 300], seed: 16);
        var y = Ops.OneHot(Enumerable.Range(0, 300).Select(r => r * 3 % 10).ToArray(), 10);
        model.InferenceLanesEnabled = false;
        var onePiece = model.Evaluate(x, y, batchSize: 128, verbose: 0);
        model.InferenceLanesEnabled = true;
        model.LastInferenceLanes = 1;
        var lanes = model.Evaluate(x, y, batchSize: 128, verbose: 0);
        Assert.Equal(ExpectedLanes, model.LastInferenceLanes);
        Assert.Equal(onePiece.Length, lanes.Length);
        for (int i = 0; i < onePiece.Length; i++) Assert.True(MathF.Abs(onePiece[i] - lanes[i]) <= 1e-6f, $"{i}: {onePiece[i]} vs {lanes[i]}");
    }

    [Fact]
    public void A_model_with_over_4M_multiply_adds_per_row_runs_in_one_piece()
    {
        // 2048 x 2048 weights and a bias: 4,196,352 per row, just over the bound; 1024 x 2048 keeps its lanes.
        var heavy = new Sequential([new Input(shape: [2048]), new Dense(2048, kernelInitializer: new GlorotUniform(31))]);
        var light = new Sequential([new Input(shape: [1024]), new Dense(2048, kernelInitializer: new GlorotUniform(32))]);
        heavy.Predict(Tensor.RandomNormal([128, 2048], seed: 33), batchSize: 128, verbose: 0);
        light.Predict(Tensor.RandomNormal([128, 1024], seed: 34), batchSize: 128, verbose: 0);
        Assert.Equal(1, heavy.LastInferenceLanes);
        Assert.Equal(ExpectedLanes, light.LastInferenceLanes);
    }

    [Fact]
    public void A_stateful_recurrent_model_runs_in_one_piece()
    {
        var model = new Sequential([new Input(shape: [6, 4]), new LSTM(32, stateful: true, seed: 3), new Dense(200), new Dense(100)]);
        model.LastInferenceLanes = 1;
        model.Predict(Tensor.RandomNormal([128, 6, 4], seed: 17), batchSize: 64, verbose: 0);
        Assert.Equal(1, model.LastInferenceLanes);
    }

    [Fact]
    public void A_model_with_a_lambda_or_a_user_layer_runs_in_one_piece_and_its_failure_surfaces_as_itself()
    {
        var model = new Sequential([new Input(shape: [200]), new Dense(300), new Lambda(t => t), new Dense(100)]);
        model.LastInferenceLanes = 1;
        model.Predict(Tensor.RandomNormal([256, 200], seed: 19), batchSize: 256, verbose: 0);
        Assert.Equal(1, model.LastInferenceLanes);
        var i = new Input(shape: [200]);
        var bad = new Model(i, new ThrowingLayer().Call(new Dense(300, kernelInitializer: new GlorotUniform(1)).Call(i)));
        var ex = Record.Exception(() => bad.Predict(Tensor.RandomNormal([256, 200], seed: 18), batchSize: 256, verbose: 0));
        Assert.IsType<InvalidOperationException>(ex);
        Assert.Equal(1, bad.LastInferenceLanes);
    }

    private sealed class ThrowingLayer() : Layer(null, null)
    {
        public override string ClassName => "ThrowingLayer";

        protected override Tensor Forward(Tensor input, bool training) => input.Shape[0] > 0 ? throw new InvalidOperationException("ThrowingLayer") : input;
    }
}
