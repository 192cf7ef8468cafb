using System.Globalization;
using Dendrite;
using Dendrite.Callbacks;
using Dendrite.Distributed;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Regularizers;

// Scenarios the tests in tests/Dendrite.Tests/Distributed run, each under `mpirun -np 2` unless said otherwise:
//   equivalence <sgd|adam> <compiled|tape>  N ranks x batch 32 against one process x batch 32N on the same data order
//   fail                                     rank 1 throws during Fit; the job must end at once, naming rank 1
//   callbacks <folder>                       verbose Fit with CSVLogger and EarlyStopping: rank 0 alone prints and writes,
//                                            and every rank stops at the same epoch
//   init                                     prints rank and size (run without mpirun, or with a missing library)
string scenario = args.Length > 0 ? args[0] : "init";
using var dp = DataParallel.Init();
switch (scenario)
{
    case "init":
        Console.WriteLine($"rank {dp.Rank} of {dp.Size}, local {dp.LocalRank} of {dp.LocalSize}, threads {Settings.Threads}");
        break;
    case "equivalence":
        return Equivalence(dp, args[1], args[2] == "tape");
    case "fail":
        Fail(dp);
        break;
    case "callbacks":
        Callbacks(dp, args[1]);
        break;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}'");
        return 2;
}
return 0;

static (Tensor X, Tensor Y) Data()
{
    // 162 samples, 129 after the validation split: with a global batch of 64 the last batch has one row, so one rank
    // has none in the last step of each epoch.
    const int n = 162;
    var x = Tensor.RandomNormal([n, 12], seed: 7);
    var xs = x.AsSpan();
    var labels = new float[n * 3];
    for (int i = 0; i < n; i++)
    {
        float s = xs[i * 12] + 0.5f * xs[i * 12 + 1] - xs[i * 12 + 2];
        labels[i * 3 + (s < -0.4f ? 0 : s < 0.4f ? 1 : 2)] = 1f;
    }
    return (x, Tensor.FromArray(labels, [n, 3]));
}

static Model Build(bool tape, Optimizer optimizer)
{
    // An L2 regularizer sends training through the autodiff tape; without one this chain runs on the compiled step.
    var model = new Sequential([
        new Input(shape: [12]),
        new Dense(16, activation: "relu", kernelRegularizer: tape ? new L2(0.01) : null),
        new Dense(3, activation: "softmax"),
    ]);
    model.Compile(optimizer: optimizer, loss: "categorical_crossentropy", metrics: ["accuracy"]);
    return model;
}

static Optimizer MakeOptimizer(string name) => name == "sgd" ? new SGD(learningRate: 0.1, momentum: 0.9) : new Adam(learningRate: 0.01);

static int Equivalence(DataParallel dp, string optimizer, bool tape)
{
    var (x, y) = Data();
    RandomState.SetSeed(100 + dp.Rank);                // different initial weights on each rank: rank 0's must win
    var model = Build(tape, MakeOptimizer(optimizer));
    var initial = model.GetWeights();
    RandomState.SetSeed(5);                            // the shuffles: only rank 0's draws matter
    var history = model.Fit(x, y, batchSize: 32, epochs: 3, verbose: 0, validationSplit: 0.2, distributed: dp);

    // Every replica ends equal to rank 0's.
    var mine = Flatten(model);
    var root = (float[])mine.Clone();
    dp.Broadcast(root.AsSpan());
    double replicaDiff = MaxDiff(mine, root);
    Console.WriteLine($"rank {dp.Rank}: replica diff {replicaDiff.ToString("E3", CultureInfo.InvariantCulture)}, overlap {(dp.CollectivesFromAnyThread ? "on" : "off")}");
    dp.Barrier();
    if (dp.Rank != 0) return replicaDiff == 0 ? 0 : 1;

    // One process, one batch of 32 x ranks, same initial weights and shuffles.
    var single = Build(tape, MakeOptimizer(optimizer));
    single.SetWeights(initial);
    RandomState.SetSeed(5);
    var reference = single.Fit(x, y, batchSize: 32 * dp.Size, epochs: 3, verbose: 0, validationSplit: 0.2);
    double weightDiff = MaxDiff(Flatten(model), Flatten(single));
    double logDiff = 0;
    foreach (var key in reference.Keys)
        for (int e = 0; e < 3; e++) logDiff = Math.Max(logDiff, Math.Abs(history[key][e] - reference[key][e]));
    Console.WriteLine($"keys {string.Join(",", history.Keys.Order())} vs {string.Join(",", reference.Keys.Order())}");
    Console.WriteLine($"weights diff {weightDiff.ToString("E3", CultureInfo.InvariantCulture)}, logs diff {logDiff.ToString("E3", CultureInfo.InvariantCulture)}, " +
        $"loss {history["loss"][2].ToString("F6", CultureInfo.InvariantCulture)} vs {reference["loss"][2].ToString("F6", CultureInfo.InvariantCulture)}");
    double moved = MaxDiff(Flatten(single), initial.SelectMany(t => t.ToArray()).ToArray());
    Console.WriteLine($"weights moved {moved.ToString("E3", CultureInfo.InvariantCulture)}");
    return weightDiff <= 1e-5 && logDiff <= 1e-5 && replicaDiff == 0 && moved > 1e-2 ? 0 : 1;
}

static void Fail(DataParallel dp)
{
    var (x, y) = Data();
    var model = Build(false, new Adam());
    var boom = new LambdaCallback(onTrainBatchEnd: (batch, _) =>
    {
        if (dp.Rank == 1 && batch == 1) throw new InvalidOperationException("a deliberate failure on rank 1");
    });
    model.Fit(x, y, batchSize: 8, epochs: 1000, verbose: 0, callbacks: [boom], distributed: dp);
    Console.WriteLine("not reached: Fit should have ended the job");
}

static void Callbacks(DataParallel dp, string folder)
{
    var (x, y) = Data();
    var model = Build(false, new Adam());
    var history = model.Fit(x, y, batchSize: 16, epochs: 20, verbose: 1, callbacks: [
        new CSVLogger(Path.Combine(folder, $"log-rank{dp.Rank}.csv")),
        new EarlyStopping(monitor: "loss", patience: 1, minDelta: 10, verbose: 1),   // no epoch improves by 10: stop after 2
    ], distributed: dp);
    Console.WriteLine($"rank {dp.Rank} trained {history["loss"].Count} epochs");
}

static float[] Flatten(Model model) => model.GetWeights().SelectMany(t => t.ToArray()).ToArray();

static double MaxDiff(float[] a, float[] b)
{
    if (a.Length != b.Length) return double.PositiveInfinity;
    double d = 0;
    for (int i = 0; i < a.Length; i++) d = Math.Max(d, Math.Abs(a[i] - b[i]));
    return d;
}
