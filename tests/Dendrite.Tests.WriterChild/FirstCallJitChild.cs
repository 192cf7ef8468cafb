using System.Diagnostics.Tracing;
using Dendrite;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;

/// <summary>
/// "--first-call-jit graph|cnn|rnn|text|sequence": in this fresh process, trains one epoch of a small model with the
/// layers of W7 (a functional graph), W5 (a CNN), W6 (an LSTM), a text classifier (Bidirectional GRU, metrics) or a
/// sequence regressor (Conv1D, LayerNormalization, GELU, SGD with momentum), evaluates and predicts with it, then prints every method the JIT
/// compiled meanwhile that is the library's own (a <c>Dendrite</c> namespace) or vector math it could call instead of
/// its own kernels (<c>System.Numerics.Tensors</c>' drivers, <c>System.Runtime.Intrinsics</c>' generic exp and log),
/// one per line, and "jitted N" last. Run with tiered compilation off, the ReadyToRun image's code is all that runs
/// unless a method had to be jitted at its first call (a generic instantiation crossgen2 did not see, a method it
/// refused, a <c>TensorPrimitives</c> driver, which no image holds).
/// </summary>
internal static class FirstCallJitChild
{
    public static int Run(string workload)
    {
        using var listener = new JitListener();
        switch (workload)
        {
            case "graph": Graph(); break;
            case "cnn": Cnn(); break;
            case "rnn": Rnn(); break;
            case "text": Text(); break;
            case "sequence": Sequence(); break;
            default: Console.Error.WriteLine($"unknown workload '{workload}' (graph, cnn, rnn, text, sequence)"); return 2;
        }
        var jitted = listener.Drain();
        foreach (var name in jitted) Console.Out.WriteLine(name);
        Console.Out.WriteLine($"jitted {jitted.Count}");
        return 0;
    }

    // W7's layers: Dense, Add, Dropout, Concatenate, softmax with categorical cross-entropy, Adam.
    private static void Graph()
    {
        var inputs = new Input(shape: [784]);
        var d1 = new Dense(256, activation: "relu").Call(inputs);
        var d2 = new Dense(256, activation: "relu").Call(d1);
        var h = new Dropout(0.2).Call(new Add().Call(d1, d2));
        var side = new Dense(32, activation: "relu").Call(inputs);
        var model = new Model(inputs, new Dense(10, activation: "softmax").Call(new Concatenate().Call(h, side)));
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "categorical_crossentropy", metrics: ["accuracy"]);
        TrainAndPredict(model, Tensor.RandomUniform([640, 784], seed: 1), OneHotLabels(640), batchSize: 64);
    }

    // W5's layers: Conv2D (stride 1 and 2), BatchNormalization, LeakyReLU, pooling, Flatten, Dense, Dropout.
    private static void Cnn()
    {
        var model = new Sequential([
            new Input(shape: [16, 16, 3]),
            new Conv2D(16, 3, padding: "same"), new BatchNormalization(), new LeakyReLU(0.1f),
            new Conv2D(16, 3, strides: 2, padding: "same"), new BatchNormalization(), new LeakyReLU(0.1f),
            new MaxPooling2D(2), new Flatten(),
            new Dense(32), new BatchNormalization(), new LeakyReLU(0.1f), new Dropout(0.5),
            new Dense(10, activation: "softmax")]);
        model.Compile(optimizer: new Adam(learningRate: 5e-4), loss: "categorical_crossentropy", metrics: ["accuracy"]);
        TrainAndPredict(model, Tensor.RandomUniform([128, 16, 16, 3], seed: 1), OneHotLabels(128), batchSize: 32);
    }

    // W6's layers: Embedding, LSTM (last output), Dense sigmoid with binary cross-entropy.
    private static void Rnn()
    {
        var model = new Sequential([new Input(shape: [20]), new Embedding(1000, 16), new LSTM(16), new Dense(1, activation: "sigmoid")]);
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "binary_crossentropy", metrics: ["accuracy"]);
        var (x, y) = Sequences(vocabulary: 1000);
        TrainAndPredict(model, x, y, batchSize: 32);
    }

    // A text classifier's layers: Embedding, Bidirectional(GRU) over the sequence, global average pooling, sigmoid with
    // binary cross-entropy, RMSprop, and the precision/recall/AUC metrics.
    private static void Text()
    {
        var model = new Sequential([new Input(shape: [20]), new Embedding(500, 16), new Bidirectional(new GRU(8, returnSequences: true)),
            new GlobalAveragePooling1D(), new Dense(1, activation: "sigmoid")]);
        model.Compile(optimizer: new RMSprop(), loss: "binary_crossentropy",
            metrics: ["accuracy", new Dendrite.Metrics.Precision(), new Dendrite.Metrics.Recall(), new Dendrite.Metrics.AUC()]);
        var (x, y) = Sequences(vocabulary: 500);
        TrainAndPredict(model, x, y, batchSize: 32);
    }

    // A sequence regressor's layers: Conv1D, MaxPooling1D, LayerNormalization, GELU, mean squared error with a
    // validation split, SGD with momentum, the mean-absolute-error metric.
    private static void Sequence()
    {
        var model = new Sequential([new Input(shape: [32, 4]), new Conv1D(8, 3, activation: "relu"), new MaxPooling1D(2),
            new LayerNormalization(), new Flatten(), new Dense(16, activation: "gelu"), new Dense(2)]);
        model.Compile(optimizer: new SGD(learningRate: 0.01, momentum: 0.9), loss: "mse", metrics: ["mae"]);
        var x = Tensor.RandomUniform([128, 32, 4], seed: 1);
        var y = Tensor.RandomUniform([128, 2], seed: 2);
        model.Fit(x, y, batchSize: 32, epochs: 1, verbose: 0, validationSplit: 0.25);
        TrainAndPredict(model, x, y, batchSize: 32);
    }

    /// <summary>128 sequences of 20 token ids below <paramref name="vocabulary"/>, labelled 0 and 1 in turn.</summary>
    private static (Tensor X, Tensor Y) Sequences(int vocabulary)
    {
        var ids = new float[128 * 20];
        for (int i = 0; i < ids.Length; i++) ids[i] = (i * 37) % vocabulary;
        var y = new float[128];
        for (int i = 0; i < y.Length; i++) y[i] = i % 2;
        return (Tensor.FromArray(ids, [128, 20]), Tensor.FromArray(y, [128, 1]));
    }

    private static Tensor OneHotLabels(int n)
    {
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        return Ops.OneHot(labels, 10);
    }

    private static void TrainAndPredict(Model model, Tensor x, Tensor y, int batchSize)
    {
        model.Fit(x, y, batchSize: batchSize, epochs: 1, verbose: 0);
        model.Evaluate(x, y, batchSize: batchSize, verbose: 0);
        model.Predict(x, batchSize: 256, verbose: 0);
    }

    /// <summary>Collects the names of the methods the JIT starts compiling (the runtime's JIT keyword, verbose).</summary>
    private sealed class JitListener : EventListener
    {
        private const string Sentinel = "FirstCallJitChild+Sentinel";
        private readonly List<string> _names = [];
        private bool _sentinelSeen;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName != "MethodJittingStarted_V1" || e.PayloadNames is null || e.Payload is null) return;
            string ns = e.Payload[e.PayloadNames.IndexOf("MethodNamespace")] as string ?? "";
            string name = e.Payload[e.PayloadNames.IndexOf("MethodName")] as string ?? "";
            lock (_names)
            {
                if (ns.Contains(Sentinel, StringComparison.Ordinal)) _sentinelSeen = true;
                else if (ns.StartsWith("Dendrite.", StringComparison.Ordinal) || ns.StartsWith("System.Numerics.Tensors.", StringComparison.Ordinal)
                    || ns.StartsWith("System.Runtime.Intrinsics.", StringComparison.Ordinal)) _names.Add(ns + "::" + name);
            }
        }

        /// <summary>The names seen so far: events arrive on another thread, so a method certain to be jitted now is
        /// compiled first and waited for (at most 30 s).</summary>
        public List<string> Drain()
        {
            Sentinel<int>.Touch();
            for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; Thread.Sleep(20))
                lock (_names)
                    if (_sentinelSeen) return [.. _names];
            throw new TimeoutException("The JIT events did not arrive.");
        }
    }

    // A generic instantiation made only here and never precompiled: its compilation marks the end of the events.
    private static class Sentinel<T>
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static void Touch() => GC.KeepAlive(typeof(T));
    }
}
