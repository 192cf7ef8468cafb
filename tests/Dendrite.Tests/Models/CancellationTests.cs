using Dendrite.Callbacks;
using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Xunit.Abstractions;

namespace Dendrite.Tests.Models;

[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public sealed class CancellationTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = MakeDir();

    private static string MakeDir()
    {
        Dendrite.Saving.Hdf5.Hdf5Saving.Enable();   // the checkpoints are .keras files
        return Directory.CreateTempSubdirectory("dendrite-cancel-").FullName;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>8 samples of y = x·w; with batchSize 4: two training steps and two validation batches per epoch.</summary>
    private static (Sequential Model, Tensor X, Tensor Y) Linear(Func<Tensor, Tensor>? hook = null)
    {
        Utils.SetRandomSeed(3);
        var x = Tensor.RandomUniform([8, 3], -1f, 1f, seed: 2);
        var y = Ops.MatMul(x, Tensor.FromArray([1.5f, -2f, 0.5f], 3, 1));
        var layers = new List<Layer> { new Input(shape: [3]) };
        if (hook is not null) layers.Add(new Lambda(hook));
        layers.Add(new Dense(1));
        var m = new Sequential(layers);
        m.Compile(optimizer: new SGD(learningRate: 0.1), loss: "mse");
        return (m, x, y);
    }

    private sealed class Recorder : Callback
    {
        public List<string> Events { get; } = [];
        public TrainingStatus StatusAtEnd { get; private set; }
        public Action<int, int>? OnStep { get; init; }
        private int _epoch;
        public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) => Events.Add("train_begin");
        public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs) { Events.Add("train_end"); StatusAtEnd = Model!.TrainingStatus; }
        public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) { _epoch = epoch; Events.Add($"epoch_begin{epoch}"); }
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => Events.Add($"epoch_end{epoch}");
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { Events.Add($"batch_end{batch}"); OnStep?.Invoke(_epoch, batch); }
        public override void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { Events.Add($"test_batch_end{batch}"); OnStep?.Invoke(-1, batch); }
        public override void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { Events.Add($"predict_batch_end{batch}"); OnStep?.Invoke(-2, batch); }
    }

    [Fact]
    public void Cancelling_mid_epoch_runs_OnTrainEnd_with_status_Cancelled_keeps_the_history_and_throws_with_the_callers_token()
    {
        var (m, x, y) = Linear();
        using var cts = new CancellationTokenSource();
        var rec = new Recorder { OnStep = (epoch, step) => { if (epoch == 1 && step == 0) cts.Cancel(); } };
        var history = new History();
        var e = Assert.ThrowsAny<OperationCanceledException>(() =>
            m.Fit(x, y, batchSize: 4, epochs: 5, verbose: 0, shuffle: false, callbacks: [rec, history], cancellationToken: cts.Token));
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(new[] { "train_begin", "epoch_begin0", "batch_end0", "batch_end1", "epoch_end0", "epoch_begin1", "batch_end0", "train_end" }, rec.Events);
        Assert.Equal(TrainingStatus.Cancelled, rec.StatusAtEnd);
        Assert.Equal(TrainingStatus.Cancelled, m.TrainingStatus);
        Assert.Equal(new[] { 0 }, history.Epoch);   // the user's History keeps the completed epoch
        Assert.Single(history["loss"]);

        var done = new Recorder();
        m.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0, callbacks: [done]);
        Assert.Equal(TrainingStatus.Completed, done.StatusAtEnd);
    }

    [Fact]
    public void A_cancel_during_validation_stops_between_batches_and_writes_no_checkpoint_for_that_epoch()
    {
        int armedCalls = 0;
        bool armed = false;
        using var cts = new CancellationTokenSource();
        // The Lambda sees every forward pass: once armed (after epoch 1's last step), its first call is validation batch 0.
        var (m, x, y) = Linear(t => { if (armed) { armedCalls++; cts.Cancel(); } return t; });
        var rec = new Recorder { OnStep = (epoch, step) => { if (epoch == 1 && step == 1) armed = true; } };
        var ckpt = new ModelCheckpoint(P("ckpt-{epoch:02d}.weights.h5"), saveWeightsOnly: true);
        Assert.ThrowsAny<OperationCanceledException>(() => m.Fit(x, y, batchSize: 4, epochs: 3, verbose: 0, shuffle: false,
            validationData: (x, y), callbacks: [rec, ckpt], cancellationToken: cts.Token));
        Assert.Equal(1, armedCalls);   // validation batch 1 never ran
        Assert.Equal(new[] { P("ckpt-01.weights.h5") }, ckpt.Saved);
        Assert.False(File.Exists(P("ckpt-02.weights.h5")));
        Assert.DoesNotContain("epoch_end1", rec.Events);
        Assert.Equal("train_end", rec.Events[^1]);
    }

    [Fact]
    public void A_cancelled_token_leaves_an_existing_CSV_log_intact_and_a_completed_epoch_replaces_it()
    {
        var (m, x, y) = Linear();
        string file = P("log.csv");
        File.WriteAllText(file, "epoch,loss\n0,1\n");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => m.Fit(x, y, epochs: 2, verbose: 0, callbacks: [new CSVLogger(file)], cancellationToken: cts.Token));
        Assert.Equal("epoch,loss\n0,1\n", File.ReadAllText(file));

        // Cancelled inside the first epoch: no row of the new run, so the old log stays.
        using var mid = new CancellationTokenSource();
        var rec = new Recorder { OnStep = (epoch, step) => { if (epoch == 0 && step == 0) mid.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() => m.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, callbacks: [rec, new CSVLogger(file)], cancellationToken: mid.Token));
        Assert.Equal("epoch,loss\n0,1\n", File.ReadAllText(file));

        m.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, callbacks: [new CSVLogger(file)]);
        var lines = File.ReadAllLines(file);
        Assert.Equal(3, lines.Length);
        Assert.Equal("epoch,loss", lines[0]);
        Assert.StartsWith("0,", lines[1]);
        Assert.StartsWith("1,", lines[2]);
    }

    [Fact]
    public void A_pre_cancelled_token_makes_Fit_Evaluate_and_Predict_throw_at_once_without_side_effects()
    {
        var (m, x, y) = Linear();
        m.Fit(x, y, epochs: 1, verbose: 0);
        var before = m.GetWeights().Select(w => w.ToArray()).ToList();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var rec = new Recorder();
        var ckpt = new ModelCheckpoint(P("never.weights.h5"), saveWeightsOnly: true);
        Assert.ThrowsAny<OperationCanceledException>(() => m.Fit(x, y, epochs: 3, verbose: 0, validationSplit: 0.25, callbacks: [rec, ckpt], cancellationToken: cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => m.Evaluate(x, y, verbose: 0, callbacks: [rec], cancellationToken: cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => m.EvaluateToDictionary(x, y, verbose: 0, callbacks: [rec], cancellationToken: cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => m.Predict(x, verbose: 0, callbacks: [rec], cancellationToken: cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => m.PredictOutputs([x], verbose: 0, callbacks: [rec], cancellationToken: cts.Token));
        Assert.Empty(rec.Events);
        Assert.False(File.Exists(P("never.weights.h5")));
        Assert.Equal(before, m.GetWeights().Select(w => w.ToArray()).ToList());

        // A model that was never built stays unbuilt.
        var fresh = new Sequential([new Dense(2)]);
        fresh.Compile(loss: "mse");
        Assert.ThrowsAny<OperationCanceledException>(() => fresh.Fit(x, y, verbose: 0, cancellationToken: cts.Token));
        Assert.Empty(fresh.GetWeights());
    }

    [Fact]
    public void Evaluate_and_Predict_check_the_token_between_batches()
    {
        var (m, x, y) = Linear();
        using var cts = new CancellationTokenSource();
        var rec = new Recorder { OnStep = (phase, step) => { if (phase < 0 && step == 0) cts.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() => m.Evaluate(x, y, batchSize: 2, verbose: 0, callbacks: [rec], cancellationToken: cts.Token));
        Assert.Equal(new[] { "test_batch_end0" }, rec.Events);

        using var cts2 = new CancellationTokenSource();
        var rec2 = new Recorder { OnStep = (phase, step) => { if (phase < 0 && step == 1) cts2.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() => m.Predict(x, batchSize: 2, verbose: 0, callbacks: [rec2], cancellationToken: cts2.Token));
        Assert.Equal(new[] { "predict_batch_end0", "predict_batch_end1" }, rec2.Events);
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights_when_the_run_is_cancelled()
    {
        var (m, x, y) = Linear();
        using var cts = new CancellationTokenSource();
        IReadOnlyList<float[]>? atEpoch1 = null;
        var rec = new Recorder { OnStep = (epoch, step) => { if (epoch == 2 && step == 1) cts.Cancel(); } };
        var snap = new LambdaCallback(onEpochEnd: (epoch, _) => { if (epoch == 1) atEpoch1 = m.GetWeights().Select(w => w.ToArray()).ToList(); });
        var es = new EarlyStopping(monitor: "loss", patience: 10, restoreBestWeights: true);
        Assert.ThrowsAny<OperationCanceledException>(() => m.Fit(x, y, batchSize: 4, epochs: 10, verbose: 0, shuffle: false,
            callbacks: [rec, snap, es], cancellationToken: cts.Token));
        // The loss falls every epoch on this problem, so epoch 1 (the last completed) is the best.
        Assert.Equal(1, es.BestEpoch);
        Assert.Equal(atEpoch1, m.GetWeights().Select(w => w.ToArray()).ToList());
    }

    [Fact]
    public void StopOnInterrupt_finishes_the_step_runs_OnTrainEnd_says_where_it_stopped_and_a_second_press_terminates()
    {
        var (m, x, y) = Linear();
        var output = new StringWriter();
        using var stop = new StopOnInterrupt(output);
        bool? first = null, second = null;
        var rec = new Recorder { OnStep = (epoch, step) => { if (epoch == 2 && step == 0) { first = stop.Interrupt(); second = stop.Interrupt(); } } };
        var ckpt = new ModelCheckpoint(P("ckpt-{epoch}.weights.h5"), saveWeightsOnly: true);
        Assert.ThrowsAny<OperationCanceledException>(() => m.Fit(x, y, batchSize: 4, epochs: 5, verbose: 0, shuffle: false,
            callbacks: [rec, stop, ckpt]));
        Assert.True(first);     // the first Ctrl-C keeps the process
        Assert.False(second);   // the second lets it end
        Assert.True(stop.Interrupted);
        Assert.Equal(TrainingStatus.Cancelled, rec.StatusAtEnd);
        Assert.Equal(new[] { "epoch_begin2", "batch_end0", "train_end" }, rec.Events.TakeLast(3));
        Assert.Equal(new[] { P("ckpt-1.weights.h5"), P("ckpt-2.weights.h5") }, ckpt.Saved);
        string expected = "Interrupted: stopped in epoch 3 after step 1 of 2; epoch 3 was not completed and the last checkpoint is intact.";
        Assert.Equal(expected, stop.Message);
        Assert.Equal(expected, output.ToString().Trim());

        // The next run is not affected by the last one's interrupt.
        var h = m.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, callbacks: [stop]);
        Assert.Equal(2, h.Epoch.Count);
        Assert.False(stop.Interrupted);
        Assert.Null(stop.Message);
    }

    [Fact]
    public void ValidationSplit_takes_views_of_the_data_not_copies()
    {
        // 40 MB of inputs; before the views the split copied all of it (the training part and the validation part).
        const int rows = 100_000, width = 100;
        var x = Tensor.Zeros([rows, width]);
        var y = Tensor.Zeros([rows, 1]);
        Utils.SetRandomSeed(1);
        var m = new Sequential([new Input(shape: [width]), new Dense(1)]);
        m.Compile(optimizer: new SGD(), loss: "mse");
        m.Fit(x, y, epochs: 0, verbose: 0, validationSplit: 0.5);   // warm-up: build, compile
        long start = GC.GetAllocatedBytesForCurrentThread();
        m.Fit(x, y, epochs: 0, verbose: 0, validationSplit: 0.5);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - start;
        long dataBytes = (long)rows * (width + 1) * sizeof(float);
        // What the split cost before the views: both parts gathered into new arrays.
        var all = new Dendrite.Training.DataSet([x], [y], null, "Fit");
        long copyStart = GC.GetAllocatedBytesForCurrentThread();
        _ = all.Take(Enumerable.Range(0, rows / 2).ToArray());
        _ = all.Take(Enumerable.Range(rows / 2, rows - rows / 2).ToArray());
        long copied = GC.GetAllocatedBytesForCurrentThread() - copyStart;
        log.WriteLine($"validationSplit 0.5 of {dataBytes:N0} bytes: views allocate {allocated:N0} bytes, copies allocated {copied:N0} bytes");
        Assert.True(copied > dataBytes / 2);   // the comparison measures what it should
        Assert.True(allocated < dataBytes / 20, $"the split allocated {allocated:N0} bytes for {dataBytes:N0} bytes of data");
    }
}
