using Dendrite.Data;
using Dendrite.Callbacks;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Models;

[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public class FitTests
{
    private static Sequential Small(int seed = 1)
    {
        Utils.SetRandomSeed(seed);
        var m = new Sequential([new Input(shape: [2]), new Dense(8, activation: "tanh"), new Dense(1, activation: "sigmoid")]);
        m.Compile(optimizer: new Dendrite.Optimizers.Adam(learningRate: 0.05), loss: "binary_crossentropy", metrics: ["accuracy"]);
        return m;
    }

    private static (Tensor X, Tensor Y) Xor() =>
        (Tensor.FromArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } }), Tensor.FromArray(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } }));

    [Fact]
    public void Mlp_learns_xor_to_100_percent()
    {
        var (x, y) = Xor();
        var m = Small();
        var h = m.Fit(x, y, epochs: 300, batchSize: 4, verbose: 0);
        Assert.Equal(1f, h["accuracy"][^1]);
        var p = m.Predict(x, verbose: 0).ToArray();
        Assert.True(p[0] < 0.5f && p[1] > 0.5f && p[2] > 0.5f && p[3] < 0.5f, string.Join(", ", p));
    }

    [Fact]
    public void Same_seed_same_run()
    {
        var (x, y) = Xor();
        var a = Small(7).Fit(x, y, epochs: 5, batchSize: 2, verbose: 0)["loss"];
        var b = Small(7).Fit(x, y, epochs: 5, batchSize: 2, verbose: 0)["loss"];
        Assert.Equal(a, b);
    }

    [Fact]
    public void Validation_split_takes_the_last_samples_before_shuffling()
    {
        var x = Tensor.RandomUniform([10, 2], seed: 4);
        var y = Tensor.FromArray(Enumerable.Range(0, 10).Select(i => i % 3 == 0 ? 1f : 0f).ToArray(), 10, 1);
        var m = Small();
        var steps = new SeenSteps();
        var h = m.Fit(x, y, epochs: 1, batchSize: 3, validationSplit: 0.2, verbose: 0, callbacks: [steps]);
        Assert.Equal(3, steps.Steps);   // 8 training samples in batches of 3
        // val_loss is exactly the loss on rows 8 and 9 with the trained weights, and differs from rows 0 and 1.
        float last = m.Evaluate(Ops.Slice(x, 0, 8, 2), Ops.Slice(y, 0, 8, 2), verbose: 0)[0];
        float first = m.Evaluate(Ops.Slice(x, 0, 0, 2), Ops.Slice(y, 0, 0, 2), verbose: 0)[0];
        Assert.Equal(last, h["val_loss"][0], 6);
        Assert.NotEqual(first, h["val_loss"][0], 3);
    }

    private sealed class SeenSteps : Callback
    {
        public int Steps;
        public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) => Steps = Parameters.Steps;
    }

    [Fact]
    public void Validation_data_class_weight_and_initial_epoch()
    {
        var (x, y) = Xor();
        var m = Small();
        var h = m.Fit(x, y, epochs: 3, initialEpoch: 1, verbose: 0, validationData: (x, y), classWeight: new Dictionary<int, double> { [0] = 1.0, [1] = 3.0 });
        Assert.Equal([1, 2], h.Epoch);
        Assert.Equal(2, h["val_loss"].Count);
        // Class weights change the loss that is minimised: zero weight for class 1 leaves only class-0 terms.
        var m2 = Small(3);
        float full = m2.Evaluate(x, y, verbose: 0)[0];
        var weighted = m2.TrainOnBatch(x, y, classWeight: new Dictionary<int, double> { [1] = 0.0 })[0];
        Assert.True(weighted < full, $"{weighted} vs {full}");
    }

    [Fact]
    public void Callbacks_see_every_hook_in_order()
    {
        var (x, y) = Xor();
        var rec = new Recorder();
        Small().Fit(x, y, epochs: 2, batchSize: 2, verbose: 0, callbacks: [rec]);
        Assert.Equal("train_begin epoch_begin0 batch_begin0 batch_end0 batch_begin1 batch_end1 epoch_end0 epoch_begin1 batch_begin0 batch_end0 batch_begin1 batch_end1 epoch_end1 train_end",
            string.Join(" ", rec.Events));
        Assert.Contains("accuracy", rec.LastLogs!.Keys);
    }

    private sealed class Recorder : Callback
    {
        public List<string> Events { get; } = [];
        public IReadOnlyDictionary<string, float>? LastLogs;
        public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) => Events.Add("train_begin");
        public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs) => Events.Add("train_end");
        public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) => Events.Add($"epoch_begin{epoch}");
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) { Events.Add($"epoch_end{epoch}"); LastLogs = logs; }
        public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) => Events.Add($"batch_begin{batch}");
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => Events.Add($"batch_end{batch}");
    }

    [Fact]
    public void Stop_training_from_a_callback_and_cancellation()
    {
        var (x, y) = Xor();
        var m = Small();
        var h = m.Fit(x, y, epochs: 50, verbose: 0, callbacks: [new StopAfter(3)]);
        Assert.Equal(3, h.Epoch.Count);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => m.Fit(x, y, epochs: 5, verbose: 0, cancellationToken: cts.Token));
    }

    private sealed class StopAfter(int epochs) : Callback
    {
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) { if (epoch + 1 >= epochs) Model!.StopTraining = true; }
    }

    [Fact]
    public void Verbose_2_prints_the_epoch_header_and_one_line_per_epoch_and_verbose_0_nothing()
    {
        var (x, y) = Xor();
        var lines = Capture(() => Small().Fit(x, y, epochs: 2, batchSize: 2, verbose: 2));
        Assert.Equal(4, lines.Length);   // Keras 3: "Epoch n/N" before each epoch's line, for verbose 2 as for 1
        Assert.Equal("Epoch 1/2", lines[0]);
        Assert.Matches(@"^2/2 - \d+s - \d+(us|ms|s)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}$", lines[1]);
        Assert.Equal("Epoch 2/2", lines[2]);
        Assert.Matches(@"^2/2 - \d+s - \d+(us|ms|s)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}$", lines[3]);
        Assert.Single(Capture(() => Small().Fit(x, y, epochs: 1, batchSize: 2, verbose: 2)));   // no header for one epoch
        Assert.Empty(Capture(() => Small().Fit(x, y, epochs: 2, verbose: 0)));
        var bar = Capture(() => Small().Fit(x, y, epochs: 2, batchSize: 2, verbose: 1));
        Assert.Equal("Epoch 1/2", bar[0]);
        Assert.Matches(@"^2/2 ━{20} \d+s \d+(us|ms|s)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}$", bar[1]);
    }

    private static readonly object ConsoleLock = new();

    private static string[] Capture(Action run)
    {
        lock (ConsoleLock)
        {
            var old = Console.Out;
            var sw = new StringWriter();
            Console.SetOut(sw);
            try { run(); } finally { Console.SetOut(old); }
            return sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
