using System.Diagnostics;
using System.Globalization;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;

namespace Dendrite.Benchmarks;

/// <summary>W1-W7 of ../shared/PERFORMANCE.md through the public API (Sequential, Compile, Fit, Predict), as a user writes them.</summary>
internal static class TrainingBenchmarks
{
    private const int Reps = 5, WarmupEpochs = 2;   // warm-up (epochs, and prediction passes) long enough for tiered JIT to reach its optimized code

    public static void W1() => Mlp("W1 cifar-mlp", [3072, 200, 150, 10], new Adam(learningRate: 5e-4, epsilon: 1e-7), batch: 32);

    public static void W2() => Mlp("W2 mnist-mlp", [784, 256, 128, 10], new Adam(learningRate: 1e-3), batch: 64);

    private static void Mlp(string name, int[] sizes, Optimizer optimizer, int batch)
    {
        var (model, x, y) = MlpWorkload(sizes, optimizer);
        Report(name, model, x, y, batch, x.Shape[0]);
    }

    /// <summary>The MLP workloads' model (compiled) and data: 10,000 uniform samples with seeded random labels.</summary>
    internal static (Model Model, Tensor X, Tensor Y) MlpWorkload(int[] sizes, Optimizer optimizer)
    {
        var (x, y) = ClassificationData(sizes[0]);
        var layers = new List<Layer> { new Input(shape: [sizes[0]]) };
        for (int i = 1; i < sizes.Length; i++) layers.Add(new Dense(sizes[i], activation: i < sizes.Length - 1 ? "relu" : "softmax"));
        var model = new Sequential(layers);
        model.Compile(optimizer: optimizer, loss: "categorical_crossentropy");
        return (model, x, y);
    }

    /// <summary>10,000 uniform samples of <paramref name="inputs"/> values with seeded random one-hot labels of 10 classes (seeds the layers too).</summary>
    private static (Tensor X, Tensor Y) ClassificationData(int inputs)
    {
        RandomState.SetSeed(0);
        const int n = 10_000;
        var x = Tensor.RandomUniform([n, inputs], seed: 1);
        var labels = new int[n];
        var rng = new RandomGenerator(2);
        for (int i = 0; i < n; i++) labels[i] = rng.NextInt(10);
        return (x, Ops.OneHot(labels, 10));
    }

    /// <summary>W4's model (compiled) and data: 4,096 uniform samples of 1,024 values in and out.</summary>
    internal static (Model Model, Tensor X, Tensor Y) W4Workload()
    {
        RandomState.SetSeed(0);
        const int n = 4096;
        var x = Tensor.RandomUniform([n, 1024], seed: 1);
        var y = Tensor.RandomUniform([n, 1024], seed: 2);
        var model = new Sequential([new Input(shape: [1024]), new Dense(4096, activation: "relu"), new Dense(4096, activation: "relu"), new Dense(1024)]);
        model.Compile(optimizer: new SGD(learningRate: 0.01), loss: "mse");
        return (model, x, y);
    }

    public static void W4()
    {
        var (model, x, y) = W4Workload();
        const int n = 4096;
        const double macs = 1024.0 * 4096 + 4096.0 * 4096 + 4096.0 * 1024;
        Report("W4 wide", model, x, y, 512, n, sps => $", \"approx_train_gflops\": {Fmt(6 * macs * sps / 1e9)}");
    }

    /// <summary>W5's model (compiled) and data: seed 001's book's CNN on 2,000 uniform 32x32x3 images with seeded random labels.</summary>
    internal static (Model Model, Tensor X, Tensor Y) W5Workload()
    {
        RandomState.SetSeed(0);
        const int n = 2000;
        var x = Tensor.RandomUniform([n, 32, 32, 3], seed: 1);
        var labels = new int[n];
        var rng = new RandomGenerator(2);
        for (int i = 0; i < n; i++) labels[i] = rng.NextInt(10);
        var layers = new List<Layer> { new Input(shape: [32, 32, 3]) };
        foreach (var (filters, strides) in new[] { (32, 1), (32, 2), (64, 1), (64, 2) })
            layers.AddRange([new Conv2D(filters: filters, kernelSize: 3, strides: strides, padding: "same"), new BatchNormalization(), new LeakyReLU()]);
        layers.AddRange([new Flatten(), new Dense(128), new BatchNormalization(), new LeakyReLU(), new Dropout(0.5), new Dense(10, activation: "softmax")]);
        var model = new Sequential(layers);
        model.Compile(optimizer: new Adam(learningRate: 5e-4, epsilon: 1e-7), loss: "categorical_crossentropy");
        return (model, x, Ops.OneHot(labels, 10));
    }

    public static void W5()
    {
        var (model, x, y) = W5Workload();
        // Forward MACs per sample (as the peer counts them): the four convolutions, then the two Dense layers.
        const double macs = 32.0 * 32 * 32 * 27 + 16.0 * 16 * 32 * 288 + 16.0 * 16 * 64 * 288 + 8.0 * 8 * 64 * 576 + 4096.0 * 128 + 128.0 * 10;
        Report("W5 cifar-cnn", model, x, y, 32, x.Shape[0], sps => $", \"approx_train_gflops\": {Fmt(6 * macs * sps / 1e9)}");
    }

    /// <summary>W6 imdb-lstm: 1,000 random sequences of 200 ids (vocab 20,000) -> Embedding 128 -> LSTM 64 -> Dense 1 sigmoid.</summary>
    internal static (Model Model, Tensor X, Tensor Y) W6Workload()
    {
        RandomState.SetSeed(0);
        const int n = 1000, steps = 200, vocab = 20_000;
        var rng = new RandomGenerator(1);
        var ids = new float[n * steps];
        for (int i = 0; i < ids.Length; i++) ids[i] = rng.NextInt(vocab);
        var labels = new float[n];
        for (int i = 0; i < n; i++) labels[i] = rng.NextInt(2);
        var model = new Sequential([new Input(shape: [steps]), new Embedding(inputDim: vocab, outputDim: 128), new LSTM(units: 64), new Dense(1, activation: "sigmoid")]);
        model.Compile(optimizer: new Adam(learningRate: 1e-3, epsilon: 1e-7), loss: "binary_crossentropy");
        return (model, Tensor.FromArray(ids, n, steps), Tensor.FromArray(labels, n, 1));
    }

    public static void W6()
    {
        var (model, x, y) = W6Workload();
        Report("W6 imdb-lstm", model, x, y, 32, x.Shape[0]);
    }


    /// <summary>W7: a functional graph (two merges, Dropout, a side branch) of 784 inputs, built as a user writes it.</summary>
    public static void W7()
    {
        var (x, y) = ClassificationData(784);
        var inputs = new Input(shape: [784]);
        var d1 = new Dense(256, activation: "relu").Call(inputs);
        var d2 = new Dense(256, activation: "relu").Call(d1);
        var h = new Dropout(0.2).Call(new Add().Call(d1, d2));
        var side = new Dense(32, activation: "relu").Call(inputs);
        var outputs = new Dense(10, activation: "softmax").Call(new Concatenate().Call(h, side));
        var model = new Model(inputs, outputs);
        model.Compile(optimizer: new Adam(learningRate: 1e-3, epsilon: 1e-7), loss: "categorical_crossentropy");
        Report("W7 graph-mlp", model, x, y, 64, x.Shape[0]);
    }

    /// <summary>Times the first epoch and the first prediction pass (tier-0 JIT code and cold caches included), then
    /// the steady state (medians after a warm-up), and prints the workload's JSON line. Every training workload reports
    /// through here, so each line has the same fields.</summary>
    private static void Report(string name, Model model, Tensor x, Tensor y, int batch, int n, Func<double, string>? extra = null)
    {
        long f0 = Stopwatch.GetTimestamp();
        model.Fit(x, y, batchSize: batch, epochs: 1, verbose: 0);
        double firstEpoch = n / Stopwatch.GetElapsedTime(f0).TotalSeconds;
        // The multicore JIT profile covers the process's start through its first epoch (see Program.cs): the next run
        // then compiles ahead only what that epoch needs, not the prediction code the rest of this run compiles.
        if (Workloads.JitProfileReplayed is not null) JitProfile.Stop();
        if (Workloads.RecordOnly) return;
        Steady(name, model, x, y, batch, n, firstEpoch, extra);
    }

    /// <summary>The rest of <see cref="Report"/> after the first epoch, in a method of its own so that it is compiled
    /// after that epoch: in the profile's window it would be compiled beside the data loading, ahead of the step's
    /// kernels.</summary>
    private static void Steady(string name, Model model, Tensor x, Tensor y, int batch, int n, double firstEpoch, Func<double, string>? extra)
    {
        // Wall time from the process's start to the end of its first epoch: work moved before Fit is not a gain here.
        // ... and the CPU time the process used until then (all threads), steadier than wall time on a shared machine.
        using var self = Process.GetCurrentProcess();
        double firstEpochEnd = (DateTime.Now - self.StartTime).TotalSeconds, firstEpochEndCpu = self.TotalProcessorTime.TotalSeconds;
        model.Fit(x, y, batchSize: batch, epochs: WarmupEpochs - 1, verbose: 0);
        int steps = (n + batch - 1) / batch;
        var train = new List<double>();
        float lastLoss = 0;
        long allocated = 0;
        for (int r = 0; r < Reps; r++)
        {
            long a0 = GC.GetTotalAllocatedBytes(precise: true);
            long t0 = Stopwatch.GetTimestamp();
            var h = model.Fit(x, y, batchSize: batch, epochs: 1, verbose: 0);
            train.Add(n / Stopwatch.GetElapsedTime(t0).TotalSeconds);
            allocated += GC.GetTotalAllocatedBytes(precise: true) - a0;
            lastLoss = h["loss"][^1];
        }
        long p0 = Stopwatch.GetTimestamp();
        model.Predict(x, batchSize: 256, verbose: 0);
        double firstPredict = n / Stopwatch.GetElapsedTime(p0).TotalSeconds;
        for (int w = 1; w < WarmupEpochs; w++) model.Predict(x, batchSize: 256, verbose: 0);
        var infer = new List<double>();
        for (int r = 0; r < Reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            model.Predict(x, batchSize: 256, verbose: 0);
            infer.Add(n / Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        WriteJson(name, n, batch, train, firstEpoch, firstEpochEnd, firstEpochEndCpu, infer, firstPredict, allocated / (Reps * steps), lastLoss,
            DenseFlopsPerSample(model), extra);
    }

    /// <summary>The floating-point operations of one sample's prediction and of its training step's products in a model
    /// made only of Dense layers and weightless ones, or null for any other model (the training count: 0 for a graph). A
    /// Dense layer of k inputs and n units costs 2 k n in its forward product, 2 k n in its kernel's gradient and 2 k n in
    /// its input's gradient, which the first layer of a Sequential model does not compute (its input needs none; in a
    /// graph, which layers read the input is not counted here); bias, activation, merges, the loss and the optimizer are
    /// not counted. compare.sh turns them into the share of the cores' measured multiply-add rate each side reached.</summary>
    private static (long Predict, long Train)? DenseFlopsPerSample(Model model)
    {
        bool sequential = model is Sequential;
        long predict = 0, train = 0;
        bool first = true;
        foreach (var layer in model.Layers)
        {
            if (layer is Dense dense)
            {
                long product = 2L * dense.Kernel.Shape[0] * dense.Kernel.Shape[1];
                predict += product;
                train += (first ? 2 : 3) * product;
                first = false;
            }
            else if (layer.Weights.Count > 0) return null;
        }
        return (predict, sequential ? train : 0);
    }

    /// <summary>The workload's JSON line: a large body of formatting code, compiled after the timed epochs.</summary>
    private static void WriteJson(string name, int n, int batch, List<double> train, double firstEpoch, double firstEpochEnd, double firstEpochEndCpu,
        List<double> infer, double firstPredict, long allocPerStep, float lastLoss, (long Predict, long Train)? flopsPerSample, Func<double, string>? extra)
    {
        Console.WriteLine($"{{\"workload\": \"{name}\", \"samples\": {n}, \"batch\": {batch}, \"threads\": {Settings.Threads}, \"train_samples_per_s\": {Stats.Json(train)}, " +
            $"\"first_epoch_samples_per_s\": {Fmt(firstEpoch)}, \"first_epoch_fresh_process\": {(Workloads.FreshProcess ? "true" : "false")}, " +
            $"\"jit_profile_replayed\": {(Workloads.JitProfileReplayed == true ? "true" : "false")}, " +
            $"\"first_epoch_end_s_since_process_start\": {Fmt(firstEpochEnd, 3)}, \"first_epoch_end_cpu_s\": {Fmt(firstEpochEndCpu, 3)}, " +
            $"\"infer_samples_per_s_bs256\": {Stats.Json(infer)}, \"first_predict_samples_per_s\": {Fmt(firstPredict)}, " +
            $"\"alloc_bytes_per_step\": {allocPerStep}, " +
            (flopsPerSample is { } flops ? $"\"predict_flop_per_sample\": {flops.Predict}, " + (flops.Train > 0 ? $"\"train_flop_per_sample\": {flops.Train}, " : "") : "") +
            $"\"last_epoch_loss\": {Fmt(lastLoss, 5)}{extra?.Invoke(Stats.Median(train))}}}");
    }

    public static void W3()
    {
        var xs = Tensor.Linspace(1f, 10f, 1000).Reshape(-1, 1);
        var ys = xs * 2f + 1f;
        var times = new List<double>();
        Model? model = null;
        for (int r = 0; r < Reps; r++)
        {
            RandomState.SetSeed(0);
            model = new Sequential([new Input(shape: [1]), new Dense(1)]);
            // The peer's starting point (torch.manual_seed(0); nn.Linear(1, 1)), so both runs follow the same SGD path.
            model.SetWeights([Tensor.FromArray([-0.007486820220947266f], 1, 1), Tensor.FromArray([0.5364435911178589f])]);
            model.Compile(optimizer: new SGD(learningRate: 0.01), loss: "mse");
            long t0 = Stopwatch.GetTimestamp();
            model.Fit(xs, ys, batchSize: 32, epochs: 20, verbose: 0);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        var w = model!.GetWeights();
        Console.WriteLine($"{{\"workload\": \"W3 tiny-regression\", \"samples\": 1000, \"batch\": 32, \"epochs\": 20, " +
            $"\"seconds_20_epochs\": {Stats.Json(times, 4)}, \"first_run_seconds\": {Fmt(times[0], 4)}, \"w\": {Fmt(w[0][0, 0], 5)}, \"b\": {Fmt(w[1][0], 5)}}}");
    }

    private static string Fmt(double v, int decimals = 1) => Math.Round(v, decimals).ToString(CultureInfo.InvariantCulture);
}
