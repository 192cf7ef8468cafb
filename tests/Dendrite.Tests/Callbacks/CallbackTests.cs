using Dendrite.Data;
using Dendrite.Callbacks;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Saving;

namespace Dendrite.Tests.Callbacks;

[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public sealed class CallbackTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-callbacks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Training targets y = x·w; validation targets are their negation, so validation loss rises as training succeeds.</summary>
    private static (Sequential Model, Tensor X, Tensor Y, Tensor YVal) RisingValidation(double lr = 0.05)
    {
        Utils.SetRandomSeed(5);
        var x = Tensor.RandomUniform([64, 3], -1f, 1f, seed: 1);
        var y = Ops.MatMul(x, Tensor.FromArray([1.5f, -2f, 0.5f], 3, 1));
        var m = new Sequential([new Input(shape: [3]), new Dense(1, kernelInitializer: "zeros")]);
        m.Compile(optimizer: new SGD(learningRate: lr), loss: "mse");
        return (m, x, y, Ops.Neg(y));
    }

    [Fact]
    public void Early_stopping_with_patience_2_stops_and_restores_the_best_weights()
    {
        var (m, x, y, yVal) = RisingValidation();
        var atEpoch = new Dictionary<int, float[]>();
        var record = new LambdaCallback(onEpochEnd: (e, _) => atEpoch[e] = m.GetWeights()[0].ToArray());
        var output = new StringWriter();
        var stop = new EarlyStopping(patience: 2, restoreBestWeights: true, verbose: 1, output: output);
        var h = m.Fit(x, y, epochs: 20, batchSize: 16, verbose: 0, validationData: (x, yVal), callbacks: [record, stop]);
        Assert.Equal(3, h.Epoch.Count);                              // best at epoch 0, worse at 1 and 2
        Assert.True(h["val_loss"][2] > h["val_loss"][1] && h["val_loss"][1] > h["val_loss"][0]);
        Assert.Equal(2, stop.StoppedEpoch);
        Assert.Equal(0, stop.BestEpoch);
        Assert.Equal(atEpoch[0], m.GetWeights()[0].ToArray());      // restored
        Assert.NotEqual(atEpoch[2], m.GetWeights()[0].ToArray());
        Assert.Contains("Epoch 3: early stopping", output.ToString());
        Assert.Contains("best epoch: 1", output.ToString());
    }

    [Fact]
    public void Early_stopping_respects_baseline_min_delta_and_start_epoch()
    {
        var (m, x, y, _) = RisingValidation();
        // Training loss falls every epoch, but never below an impossible baseline: the wait never resets.
        var stop = new EarlyStopping(monitor: "loss", patience: 3, baseline: -1.0);
        var h = m.Fit(x, y, epochs: 20, batchSize: 16, verbose: 0, callbacks: [stop]);
        Assert.Equal(3, h.Epoch.Count);   // Keras counts the wait from the first epoch
        var (m2, x2, y2, _) = RisingValidation();
        var late = new EarlyStopping(monitor: "loss", patience: 0, minDelta: 1e9, startFromEpoch: 5);
        Assert.Equal(7, m2.Fit(x2, y2, epochs: 20, batchSize: 16, verbose: 0, callbacks: [late]).Epoch.Count);
    }

    [Fact]
    public void Reduce_lr_on_plateau_lowers_the_rate_at_the_expected_epoch()
    {
        var (m, x, y, yVal) = RisingValidation(lr: 0.04);
        var rates = new List<double>();
        var output = new StringWriter();
        var reduce = new ReduceLROnPlateau(factor: 0.5, patience: 2, verbose: 1, output: output);
        m.Fit(x, y, epochs: 6, batchSize: 16, verbose: 0, validationData: (x, yVal),
            callbacks: [reduce, new LambdaCallback(onEpochEnd: (_, _) => rates.Add(m.Optimizer!.LearningRate))]);
        // Epoch 0 sets the best; 1 and 2 are worse -> reduced at the end of epoch 2; then every 2 epochs.
        Assert.Equal(new[] { 0.04, 0.04, 0.02, 0.02, 0.01, 0.01 }, rates.Select(r => Math.Round(r, 6)));
        Assert.Contains("Epoch 3: ReduceLROnPlateau reducing learning rate to 0.02.", output.ToString());
    }

    [Fact]
    public void Csv_logger_writes_one_row_per_epoch_and_appends()
    {
        var (m, x, y, yVal) = RisingValidation();
        string file = Path.Combine(_dir, "log.csv");
        m.Fit(x, y, epochs: 4, verbose: 0, validationData: (x, yVal), callbacks: [new CSVLogger(file)]);
        var lines = File.ReadAllLines(file);
        Assert.Equal("epoch,loss,val_loss", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("3,", lines[4]);
        m.Fit(x, y, epochs: 2, verbose: 0, validationData: (x, yVal), callbacks: [new CSVLogger(file, append: true)]);
        Assert.Equal(7, File.ReadAllLines(file).Length);          // no second header
        m.Fit(x, y, epochs: 1, verbose: 0, callbacks: [new CSVLogger(file, separator: ";")]);
        Assert.Equal(new[] { "epoch;loss", }, File.ReadAllLines(file)[..1]);
    }

    [Fact]
    public void Model_checkpoint_saves_best_only_atomically_and_loads_back()
    {
        Dendrite.Saving.Hdf5.Hdf5Saving.Enable();
        var (m, x, y, yVal) = RisingValidation();
        var output = new StringWriter();
        var ckpt = new ModelCheckpoint(Path.Combine(_dir, "w-{epoch:02d}-{val_loss:.2f}.weights.h5"), saveBestOnly: true, saveWeightsOnly: true, verbose: 1, output: output);
        var h = m.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0, validationData: (x, yVal), callbacks: [ckpt]);
        string expected = Path.Combine(_dir, $"w-01-{h["val_loss"][0]:F2}.weights.h5");
        Assert.Equal([expected], ckpt.Saved);
        Assert.Contains($"Epoch 1: val_loss improved from inf to {h["val_loss"][0]:F5}, saving model to {expected}", output.ToString());
        Assert.Contains("Epoch 2: val_loss did not improve from", output.ToString());
        Assert.Single(Directory.GetFiles(_dir));                    // no temporary files left behind

        var fresh = new Sequential([new Input(shape: [3]), new Dense(1)]);
        fresh.LoadWeights(expected);
        var every = new ModelCheckpoint(Path.Combine(_dir, "last.keras"));
        m.Fit(x, y, epochs: 2, verbose: 0, callbacks: [every]);
        var loaded = Model.Load(Path.Combine(_dir, "last.keras"));
        Assert.Equal(m.GetWeights()[0].ToArray(), loaded.GetWeights()[0].ToArray());
        Assert.True(loaded.IsCompiled);
    }

    [Fact]
    public void Model_checkpoint_refuses_extensions_keras_refuses()
    {
        Assert.Contains("must end in `.keras`", Assert.Throws<ArgumentException>(() => new ModelCheckpoint("ckpt.dnw")).Message);
        Assert.Contains("`.weights.h5`", Assert.Throws<ArgumentException>(() => new ModelCheckpoint("ckpt.keras", saveWeightsOnly: true)).Message);
        Assert.Contains("must end in `.keras`", Assert.Throws<ArgumentException>(() => new ModelCheckpoint("ckpt.weights.h5")).Message);
    }

    [Fact]
    public void Terminate_on_nan_stops_a_diverging_run()
    {
        var (m, x, y, _) = RisingValidation();
        m.Compile(optimizer: new SGD(learningRate: 1e6), loss: "mse");
        var output = new StringWriter();
        var t = new TerminateOnNaN(output);
        var h = m.Fit(Ops.Mul(x, 1e3f), y, epochs: 50, batchSize: 8, verbose: 0, callbacks: [t]);
        Assert.True(t.Terminated);
        Assert.True(h.Epoch.Count < 50);
        Assert.Contains("Invalid loss, terminating training", output.ToString());
    }

    [Fact]
    public void Learning_rate_scheduler_and_schedules_as_learning_rates()
    {
        var (m, x, y, _) = RisingValidation();
        var seen = new List<double>();
        m.Fit(x, y, epochs: 3, verbose: 0, callbacks: [new LearningRateScheduler((e, lr) => 0.1 / (e + 1)), new LambdaCallback(onEpochBegin: (_, _) => seen.Add(m.Optimizer!.LearningRate))]);
        Assert.Equal(new[] { 0.1, 0.05, Math.Round(0.1 / 3, 9) }, seen.Select(v => Math.Round(v, 9)));
        Assert.Equal(0.1 * Math.Pow(0.5, 2.5), new ExponentialDecay(0.1, 10, 0.5).Compute(25), 12);
        Assert.Equal(0.1 * Math.Pow(0.5, 2), new ExponentialDecay(0.1, 10, 0.5, staircase: true).Compute(25), 12);
        Assert.Equal(0.1 * (0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)) + 0.1), new CosineDecay(0.1, 100, alpha: 0.1).Compute(25), 12);
        Assert.Equal(0.01, new CosineDecay(0.1, 100, alpha: 0.1).Compute(500), 12);
        var pw = new PiecewiseConstant([10, 20], [1.0, 0.5, 0.1]);
        Assert.Equal(new[] { 1.0, 1.0, 0.5, 0.1 }, new long[] { 0, 10, 11, 21 }.Select(pw.Compute));
        // A schedule given as the learning rate is followed step by step.
        var opt = new SGD(learningRate: new PiecewiseConstant([0], [1.0, 0.25]));
        var w = Tensor.FromArray([0f]);
        w.RequiresGrad = true;
        w.Grad = Tensor.FromArray([1f]);
        opt.Apply([w]);
        opt.Apply([w]);
        Assert.Equal(-1.25f, w[0], 6);
    }
}
