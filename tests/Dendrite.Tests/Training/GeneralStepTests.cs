using Dendrite.Backends.Cpu;
using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Losses;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Regularizers;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Training;

/// <summary>
/// The general training step (graph plan, fused dense op, reused step state) on many model shapes: Fit with the fused
/// kernels against Fit with the dense op composed from MatMul, Add and the activation on the plain tape, and Fit
/// against a hand-written eager loop; plus the allocation of a steady-state step.
/// </summary>
[Collection(GlobalSeedCollection.Name)]
public class GeneralStepTests
{
    private const int Samples = 50, Batch = 7;   // 7 full batches and a last one of 1

    private static Tensor X(int width, int seed) => Tensor.RandomUniform([Samples, width], -1f, 1f, seed: seed);

    private static Tensor OneHot(int classes, int seed)
    {
        var rng = new RandomGenerator(seed);
        return Ops.OneHot(Enumerable.Range(0, Samples).Select(_ => rng.NextInt(classes)).ToArray(), classes);
    }

    /// <summary>Trains the model fused and unfused from the same seed (and again with another batch size) and compares
    /// losses, metrics, weights and predictions.</summary>
    private static void SameAsUnfused(Func<Model> make, Tensor[] x, Tensor[] y, string loss, Tensor? sampleWeight = null,
        Dictionary<int, double>? classWeight = null, string[]? metrics = null, float tolerance = 2e-5f)
    {
        (Model Model, History[] Histories, IReadOnlyList<Tensor> Predictions) Train(bool unfused)
        {
            Ops.UnfusedDense = unfused;
            try
            {
                Utils.SetRandomSeed(11);
                var m = make();
                m.Compile(optimizer: new Adam(learningRate: 0.01), loss: loss, metrics: metrics?.Select(n => (Dendrite.Metrics.Metric)n));
                Utils.SetRandomSeed(5);
                var h1 = m.Fit(x, y, batchSize: Batch, epochs: 2, verbose: 0, sampleWeight: sampleWeight, classWeight: classWeight);
                // A change of batch size between calls.
                var h2 = m.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0, sampleWeight: sampleWeight, classWeight: classWeight);
                return (m, [h1, h2], m.PredictOutputs(x, batchSize: 9, verbose: 0));
            }
            finally { Ops.UnfusedDense = false; }
        }
        var fused = Train(false);
        var plain = Train(true);
        for (int i = 0; i < fused.Histories.Length; i++)
            foreach (var key in plain.Histories[i].Keys)
                for (int e = 0; e < plain.Histories[i][key].Count; e++)
                {
                    float a = fused.Histories[i][key][e], b = plain.Histories[i][key][e];
                    Assert.True(Math.Abs(a - b) <= tolerance * Math.Max(1f, Math.Abs(b)), $"{key} fit {i} epoch {e}: fused {a} vs unfused {b}");
                }
        var wf = fused.Model.GetWeights();
        var wp = plain.Model.GetWeights();
        Assert.Equal(wp.Count, wf.Count);
        for (int i = 0; i < wp.Count; i++) TensorAssert.Close(wp[i], wf[i], tolerance, tolerance, $"weight {i}");
        for (int i = 0; i < plain.Predictions.Count; i++) TensorAssert.Close(plain.Predictions[i], fused.Predictions[i], tolerance, tolerance, $"output {i}");
    }

    [Fact]
    public void A_sequential_mlp_with_every_dense_activation_matches()
    {
        var x = X(6, 1);
        SameAsUnfused(() => new Sequential([new Input(shape: [6]), new Dense(9, activation: "relu"), new Dense(8, activation: "tanh"),
                new Dense(7, activation: "gelu"), new Dense(6, activation: "elu"), new Dense(5, activation: "softmax")]),
            [x], [OneHot(5, 2)], "categorical_crossentropy", metrics: ["accuracy"]);
    }

    [Fact]
    public void A_graph_with_add_dropout_and_concatenate_matches()
    {
        var x = X(12, 3);
        SameAsUnfused(() =>
        {
            var input = new Input(shape: [12]);
            var d1 = new Dense(10, activation: "relu").Call(input);
            var d2 = new Dense(10, activation: "relu").Call(d1);
            var merged = new Dropout(0.2).Call(new Add().Call(d1, d2));
            var side = new Dense(4, activation: "relu").Call(input);
            return new Model(input, new Dense(3, activation: "softmax").Call(new Concatenate().Call(merged, side)));
        }, [x], [OneHot(3, 4)], "categorical_crossentropy");
    }

    [Fact]
    public void Two_inputs_two_outputs_and_a_shared_layer_match()
    {
        var xa = X(5, 5);
        var xb = X(5, 6);
        SameAsUnfused(() =>
        {
            var a = new Input(shape: [5]);
            var b = new Input(shape: [5]);
            var shared = new Dense(6, activation: "sigmoid");
            var h = new Concatenate().Call(shared.Call(a), shared.Call(b));
            return new Model([a, b], [new Dense(2).Call(h), new Dense(1, activation: "tanh").Call(h)]);
        }, [xa, xb], [X(2, 7), X(1, 8)], "mse");
    }

    [Fact]
    public void A_nested_model_matches()
    {
        var x = X(4, 9);
        SameAsUnfused(() =>
        {
            var innerIn = new Input(shape: [4]);
            var inner = new Model(innerIn, new Dense(5, activation: "relu").Call(new Dense(6, activation: "tanh").Call(innerIn)), name: "inner");
            var input = new Input(shape: [4]);
            return new Model(input, new Dense(3, activation: "softmax").Call(inner.Call(input)));
        }, [x], [OneHot(3, 10)], "categorical_crossentropy");
    }

    [Fact]
    public void Regularizers_and_sample_weights_match()
    {
        var x = X(6, 11);
        var sw = Tensor.RandomUniform([Samples], 0.1f, 2f, seed: 12);
        SameAsUnfused(() => new Sequential([new Input(shape: [6]),
                new Dense(8, activation: "relu", kernelRegularizer: new L2(0.01), biasRegularizer: new L1(0.02), activityRegularizer: new L1(0.001)),
                new Dense(3, activation: "softmax", kernelRegularizer: new L1L2(0.01, 0.02))]),
            [x], [OneHot(3, 13)], "categorical_crossentropy", sampleWeight: sw);
    }

    [Fact]
    public void Class_weights_with_sparse_labels_match()
    {
        var x = X(6, 14);
        var rng = new RandomGenerator(15);
        var y = Tensor.FromArray(Enumerable.Range(0, Samples).Select(_ => (float)rng.NextInt(3)).ToArray(), Samples, 1);
        SameAsUnfused(() => new Sequential([new Input(shape: [6]), new Dense(8, activation: "relu"), new Dense(3)]),
            [x], [y], "sparse_categorical_crossentropy", classWeight: new() { [0] = 0.5, [1] = 2.0, [2] = 1.0 }, metrics: ["accuracy"]);
    }

    [Fact]
    public void Fit_equals_a_hand_written_eager_loop_on_a_two_output_graph()
    {
        var xa = X(5, 16);
        var xb = X(3, 17);
        var y1 = X(2, 18);
        var y2 = X(1, 19);
        Model Make()
        {
            Utils.SetRandomSeed(21);
            var a = new Input(shape: [5]);
            var b = new Input(shape: [3]);
            var h = new Concatenate().Call(new Dense(6, activation: "relu").Call(a), new Dense(4, activation: "tanh").Call(b));
            var m = new Model([a, b], [new Dense(2).Call(h), new Dense(1, activation: "sigmoid").Call(h)]);
            m.Compile(optimizer: new SGD(learningRate: 0.1, momentum: 0.5), loss: "mse");
            return m;
        }
        var fit = Make();
        var history = fit.Fit([xa, xb], [y1, y2], batchSize: Batch, epochs: 2, shuffle: false, verbose: 0);

        // The same steps by hand, with the dense op composed from MatMul, Add and the activation.
        var hand = Make();
        var optimizer = hand.Optimizer!;
        var loss = new MeanSquaredError();
        Ops.UnfusedDense = true;
        try
        {
            for (int epoch = 0; epoch < 2; epoch++)
            {
                double sum = 0;
                for (int start = 0; start < Samples; start += Batch)
                {
                    int n = Math.Min(Batch, Samples - start);
                    Tensor Rows(Tensor t) => Ops.Slice(t, [start, 0], [n, t.Shape[1]]);
                    foreach (var w in hand.TrainableWeights) w.Grad = null;
                    var outputs = hand.Run([Rows(xa), Rows(xb)], training: true);
                    var total = Ops.Add(loss.Call(Rows(y1), outputs[0]), loss.Call(Rows(y2), outputs[1]));
                    total.Backward();
                    optimizer.Apply(hand.TrainableWeights);
                    sum += total.Item() * n;
                }
                Assert.True(Math.Abs(history["loss"][epoch] - sum / Samples) <= 1e-5 * Math.Max(1, sum / Samples), $"epoch {epoch}: Fit {history["loss"][epoch]} vs hand {sum / Samples}");
            }
        }
        finally { Ops.UnfusedDense = false; }
        var wf = fit.GetWeights();
        var wh = hand.GetWeights();
        for (int i = 0; i < wf.Count; i++) TensorAssert.Close(wh[i], wf[i], 2e-6f, 2e-5f, $"weight {i}");
    }

    /// <summary>Bytes allocated on this thread per steady-state training step: one epoch of <paramref name="steps"/>
    /// more steps, after a warm-up, so that what a Fit allocates once (callbacks, history) cancels out.</summary>
    /// <summary>
    /// Bytes a steady-state step allocates on the training thread. The machine's load reads as unknown meanwhile: on a
    /// test machine whose cores are briefly crowded the pool would go solo, and the next-batch buffers (<c>BatchAhead</c>,
    /// ~400 KB for these batches, made at their first use and kept) could then be made first inside a measured epoch
    /// (one run: 8,506 bytes a step) instead of in the warm-up; what a steady step allocates does not change with it.
    /// </summary>
    private static double BytesPerStep(Model model, Tensor x, Tensor y, int batch, int steps)
    {
        try
        {
            BusyMachine.Reset();
            BusyMachine.MachineLoad = () => null;
            model.Fit(x, y, batchSize: batch, epochs: 2, verbose: 0);
            long Measure(int epochs)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                model.Fit(x, y, batchSize: batch, epochs: epochs, verbose: 0);
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }
            Measure(1);
            return (Measure(2) - Measure(1)) / (double)steps;
        }
        finally
        {
            BusyMachine.MachineLoad = ProcStat.Load;
            BusyMachine.Reset();
        }
    }

    [Fact]
    public void A_steady_state_step_of_a_w2_mlp_and_of_a_w7_graph_allocates_under_1_kb()
    {
        // Issue 14: nodes, tensor objects, small buffers and shapes are pooled per step and backwards are static, so a
        // step allocates (almost) nothing; before, the tape allocated ~30 KB (and then ~5-7 KB) per step of these models.
        const int batch = 64, steps = 50;
        var x = Tensor.RandomUniform([batch * steps, 784], seed: 1);
        var y = OneHotRows(batch * steps, 10);
        Utils.SetRandomSeed(1);
        var mlp = new Sequential([new Input(shape: [784]), new Dense(256, activation: "relu"), new Dense(128, activation: "relu"), new Dense(10, activation: "softmax")]);
        mlp.Compile(optimizer: new Adam(), loss: "categorical_crossentropy");
        double mlpBytes = BytesPerStep(mlp, x, y, batch, steps);
        Assert.True(mlpBytes < 1024, $"W2-shaped MLP step allocated {mlpBytes:F0} bytes");

        var input = new Input(shape: [784]);
        var d1 = new Dense(256, activation: "relu").Call(input);
        var d2 = new Dense(256, activation: "relu").Call(d1);
        var merged = new Dropout(0.2).Call(new Add().Call(d1, d2));
        var side = new Dense(32, activation: "relu").Call(input);
        var graph = new Model(input, new Dense(10, activation: "softmax").Call(new Concatenate().Call(merged, side)));
        graph.Compile(optimizer: new Adam(), loss: "categorical_crossentropy");
        double graphBytes = BytesPerStep(graph, x, y, batch, steps);
        Assert.True(graphBytes < 1024, $"W7-shaped graph step allocated {graphBytes:F0} bytes");
    }

    private static Tensor OneHotRows(int n, int classes)
    {
        var rng = new RandomGenerator(3);
        return Ops.OneHot(Enumerable.Range(0, n).Select(_ => rng.NextInt(classes)).ToArray(), classes);
    }
}
