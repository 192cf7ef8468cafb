using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Losses;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Regularizers;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Training;

/// <summary>
/// The compiled train/predict step against the autodiff tape: the same model, seed and data trained both ways (the
/// compiled step driven directly; Fit always trains on the tape) must end with the same weights, losses and predictions.
/// </summary>
[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public class CompiledStepTests
{
    private const int Samples = 50, Batch = 7;   // 7 full batches and a last one of 1

    private static (Tensor X, Tensor Y) Data(int[] inputShape, int classes, string targets, int seed = 3)
    {
        var x = Tensor.RandomUniform([Samples, .. inputShape], -1f, 1f, seed: seed);
        var rng = new RandomGenerator(seed + 10);
        Tensor y = targets switch
        {
            "onehot" => Ops.OneHot(Enumerable.Range(0, Samples).Select(_ => rng.NextInt(classes)).ToArray(), classes),
            "sparse" => Tensor.FromArray(Enumerable.Range(0, Samples).Select(_ => (float)rng.NextInt(classes)).ToArray(), Samples, 1),
            "binary" => Tensor.FromArray(Enumerable.Range(0, Samples * classes).Select(_ => (float)rng.NextInt(2)).ToArray(), Samples, classes),
            "vector" => Tensor.RandomUniform([Samples], seed: seed + 1),
            _ => Tensor.RandomUniform([Samples, classes], -1f, 1f, seed: seed + 1),
        };
        return (x, y);
    }

    /// <summary>Trains two copies, one by driving the compiled step directly (Fit no longer runs it: training is on the
    /// tape) and one by Fit without shuffling, and compares losses, weights and (compiled vs tape) predictions.</summary>
    private static void SameAsTape(Func<Layer[]> layers, Func<Optimizer> optimizer, Loss loss, int[] inputShape, int classes, string targets,
        string[]? metrics = null, Action<Sequential>? setup = null, float tolerance = 2e-5f)
    {
        var (x, y) = Data(inputShape, classes, targets);
        Sequential Make(bool compiled)
        {
            Utils.SetRandomSeed(11);
            var m = new Sequential([new Input(shape: inputShape), .. layers()]) { CompiledStepsEnabled = compiled };
            setup?.Invoke(m);
            m.Compile(optimizer: optimizer(), loss: loss, metrics: metrics?.Select(n => (Dendrite.Metrics.Metric)n));
            return m;
        }
        var fast = Make(true);
        var tape = Make(false);
        var lf = TrainCompiled(fast, x, y, epochs: 3);
        var ht = tape.Fit(x, y, batchSize: Batch, epochs: 3, verbose: 0, shuffle: false);
        Assert.False(tape.RanCompiled);
        for (int e = 0; e < 3; e++)
            Assert.True(Math.Abs(lf[e] - ht["loss"][e]) <= tolerance * Math.Max(1f, Math.Abs(ht["loss"][e])), $"loss epoch {e}: compiled {lf[e]} vs tape {ht["loss"][e]}");
        var wf = fast.GetWeights();
        var wt = tape.GetWeights();
        Assert.Equal(wt.Count, wf.Count);
        for (int i = 0; i < wt.Count; i++) TensorAssert.Close(wt[i], wf[i], tolerance, tolerance);
        var pf = fast.Predict(x, batchSize: 16, verbose: 0);
        Assert.True(fast.RanCompiled);
        TensorAssert.Close(tape.Predict(x, batchSize: 16, verbose: 0), pf, tolerance, tolerance);
    }

    /// <summary>Epochs of in-order batches on the compiled train step (as Fit without shuffling); the mean loss of each.</summary>
    private static float[] TrainCompiled(Sequential m, Tensor x, Tensor y, int epochs)
    {
        var step = Dendrite.Training.Compiled.CompiledStep.TryCreate(m, m.Loss!, new Shape(y.Shape.ToArray()[1..]));
        Assert.NotNull(step);
        step.Prepare(m.TrainableWeights);
        var losses = new float[epochs];
        for (int e = 0; e < epochs; e++)
        {
            double sum = 0;
            for (int start = 0; start < Samples; start += Batch)
            {
                int count = Math.Min(Batch, Samples - start);
                sum += (double)step.TrainStep(x, y, Enumerable.Range(start, count).ToArray(), m.Optimizer!, null, null, out _, out _) * count;
            }
            losses[e] = (float)(sum / Samples);
        }
        return losses;
    }

    [Fact]
    public void Softmax_mlp_with_adam_matches_the_tape() => SameAsTape(
        () => [new Dense(16, activation: "relu"), new Dense(8, activation: "tanh"), new Dense(5, activation: "softmax")],
        () => new Adam(learningRate: 0.01), new CategoricalCrossentropy(), [12], 5, "onehot", ["accuracy"]);

    [Fact]
    public void Sparse_labels_from_logits_with_momentum_match_the_tape() => SameAsTape(
        () => [new Dense(10, activation: "sigmoid"), new Dense(4)],
        () => new SGD(learningRate: 0.1, momentum: 0.9), new SparseCategoricalCrossentropy(fromLogits: true), [6], 4, "sparse", ["accuracy"]);

    [Fact]
    public void Binary_crossentropy_on_a_sigmoid_with_label_smoothing_matches_the_tape() => SameAsTape(
        () => [new Dense(8, activation: "selu"), new Dense(1, activation: "sigmoid")],
        () => new RMSprop(learningRate: 0.01), new BinaryCrossentropy(labelSmoothing: 0.1), [5], 1, "binary", ["accuracy"]);

    [Fact]
    public void Binary_crossentropy_from_logits_on_several_outputs_matches_the_tape() => SameAsTape(
        () => [new Dense(8, activation: "gelu"), new Dense(3)],
        () => new Adam(learningRate: 0.01), new BinaryCrossentropy(fromLogits: true), [4], 3, "binary");

    [Fact]
    public void Regression_with_dropout_matches_the_tape() => SameAsTape(
        () => [new Dense(12, activation: "elu"), new Dropout(0.3, seed: 4), new Dense(2)],
        () => new Adam(learningRate: 0.01), new MeanSquaredError(), [3], 2, "regression");

    [Fact]
    public void Regression_on_a_vector_target_matches_the_tape() => SameAsTape(
        () => [new Dense(6, activation: "softplus"), new Dense(1)],
        () => new SGD(learningRate: 0.05), new MeanSquaredError(), [3], 1, "vector", ["mae"]);

    [Fact]
    public void Activation_layers_and_label_smoothing_match_the_tape() => SameAsTape(
        () => [new Dense(9), new ReLU(), new Dense(7), new LeakyReLU(0.1f), new Dense(6), new ELU(0.5f), new Dense(4), new Activation("softmax")],
        () => new Nadam(learningRate: 0.01), new CategoricalCrossentropy(labelSmoothing: 0.1), [5], 4, "onehot", ["accuracy"]);

    [Fact]
    public void Flatten_and_a_softmax_layer_inside_the_network_match_the_tape() => SameAsTape(
        () => [new Flatten(), new Dense(5, activation: "softmax"), new Dense(3, activation: "swish"), new Dense(2), new Softmax()],
        () => new Adagrad(learningRate: 0.1), new CategoricalCrossentropy(), [2, 3], 2, "onehot");

    [Fact]
    public void A_frozen_layer_is_left_alone_as_on_the_tape() => SameAsTape(
        () => [new Dense(8, activation: "relu", name: "frozen"), new Dense(3, activation: "softmax")],
        () => new Adam(learningRate: 0.01, weightDecay: 0.01, clipnorm: 0.5), new CategoricalCrossentropy(), [4], 3, "onehot",
        setup: m => m.GetLayer("frozen").Trainable = false);

    [Theory]
    [InlineData(200, 64, true)]    // packed weights (32 rows or more in all), batches split into lanes, last batch of 8
    [InlineData(20, 20, true)]     // too few rows to pack: the input rows are copied into each lane's buffer
    [InlineData(200, 64, false)]   // a first stage that is not a Dense
    public void Prediction_split_into_lanes_matches_the_tape(int samples, int batch, bool denseFirst)
    {
        var x = Tensor.RandomUniform([samples, 10, 30], -1f, 1f, seed: 8);
        Sequential Make(bool compiled)
        {
            Utils.SetRandomSeed(12);
            Layer[] head = denseFirst ? [new Flatten()] : [new Flatten(), new Activation("tanh")];
            return new Sequential([new Input(shape: [10, 30]), .. head, new Dense(100, activation: "relu"), new Dropout(0.2),
                new Dense(45), new Activation("softmax")]) { CompiledStepsEnabled = compiled };
        }
        var fast = Make(true);
        var tape = Make(false);
        // The global seed is shared with tests running in parallel: copy the weights rather than rely on it.
        tape.SetWeights(fast.GetWeights());
        var pf = fast.Predict(x, batchSize: batch, verbose: 0);
        Assert.True(fast.RanCompiled);
        Assert.True(fast.PredictLanes >= Math.Min(2, Dendrite.Backends.Backend.Current.Lanes), $"{fast.PredictLanes} lanes");
        TensorAssert.Close(tape.Predict(x, batchSize: batch, verbose: 0), pf, 1e-5f, 1e-5f);
    }

    [Fact]
    public void Fit_trains_every_model_on_the_tape()
    {
        var (x, y) = Data([4], 3, "onehot");
        void Check(Model m, Tensor? sampleWeight = null)
        {
            m.Compile(optimizer: "sgd", loss: m.Name == "probs" ? new CategoricalCrossentropy() : new CategoricalCrossentropy(fromLogits: false));
            m.Fit(x, y, batchSize: Batch, epochs: 1, verbose: 0, sampleWeight: sampleWeight);
            Assert.False(m.RanCompiled);
        }
        // A chain the compiled step covers, a regularizer, a loss on non-softmax probabilities, sample weights, a merge.
        Check(new Sequential([new Input(shape: [4]), new Dense(3, activation: "softmax")]));
        Check(new Sequential([new Input(shape: [4]), new Dense(3, activation: "softmax", kernelRegularizer: new L2(0.01))]));
        Check(new Sequential([new Input(shape: [4]), new Dense(3, activation: "sigmoid")], name: "probs"));
        Check(new Sequential([new Input(shape: [4]), new Dense(3, activation: "softmax")]), Tensor.Ones([Samples]));
        var input = new Input(shape: [4]);
        var a = new Dense(3).Call(input);
        var b = new Dense(3).Call(input);
        Check(new Model(input, new Activation("softmax").Call(new Add().Call(a, b))));
    }

    [Fact]
    public void A_training_step_allocates_almost_nothing()
    {
        var (x, y) = Data([12], 5, "onehot");
        Utils.SetRandomSeed(1);
        var m = new Sequential([new Input(shape: [12]), new Dense(16, activation: "relu"), new Dense(5, activation: "softmax")]);
        m.Compile(optimizer: new Adam(), loss: "categorical_crossentropy");
        m.Fit(x, y, batchSize: 1, epochs: 2, verbose: 0);
        long Measure(int epochs)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            m.Fit(x, y, batchSize: 1, epochs: epochs, verbose: 0);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Measure(1);
        // Four more epochs of 50 steps on the tape cost what the per-epoch bookkeeping costs, not a tape per step.
        long perStep = (Measure(5) - Measure(1)) / (4 * Samples);
        Assert.False(m.RanCompiled);
        Assert.True(perStep < 256, $"{perStep} bytes per step");
    }
}
