using Dendrite.Initializers;
using Dendrite.Layers;
using Dendrite.Metrics;
using Dendrite.Models;

namespace Dendrite.Tests.Models;

/// <summary>
/// Predict, PredictOnBatch and Evaluate on one model from several threads at once give exactly what they give one
/// call at a time (issue 21: shared prediction buffers, packed kernels and metric state used to be corrupted).
/// </summary>
public class ConcurrentInferenceTests
{
    private const int Threads = 6;
    private const int Rounds = 3;

    private static Model Mlp()
    {
        var m = new Sequential([new Input(shape: [64]), new Dense(128, activation: "relu", kernelInitializer: new GlorotUniform(1)),
            new Dense(64, activation: "relu", kernelInitializer: new GlorotUniform(2)), new Dense(10, activation: "softmax", kernelInitializer: new GlorotUniform(3))]);
        m.Compile(optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy", "auc", "precision"]);
        return m;
    }

    /// <summary>A metric defined outside the library (no <see cref="Metric.CloneEmpty"/>): evaluations take turns.</summary>
    private sealed class MeanOfFirstOutput() : Metric("mean_first")
    {
        private double _sum, _n;
        public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
        {
            var (rows, width) = RowsOf(yPred);
            for (int r = 0; r < rows; r++) { _sum += yPred.AsSpan()[r * width]; _n++; }
        }
        public override float Result() => _n == 0 ? 0 : (float)(_sum / _n);
        public override void ResetState() => _sum = _n = 0;
    }

    private static Model Graph(bool customMetric = false)
    {
        var i = new Input(shape: [64]);
        var a = new Dense(32, activation: "tanh", kernelInitializer: new GlorotUniform(4)).Call(i);
        var b = new Dense(32, activation: "relu", kernelInitializer: new GlorotUniform(5)).Call(i);
        var o = new Dense(10, activation: "softmax", kernelInitializer: new GlorotUniform(6)).Call(new Concatenate().Call(a, b));
        var m = new Model(i, o);
        m.Compile(optimizer: "sgd", loss: "categorical_crossentropy", metrics: ["accuracy", customMetric ? new MeanOfFirstOutput() : "f1_score"]);
        return m;
    }

    public static TheoryData<string> Models() => ["mlp", "graph", "custom-metric"];

    [Theory, MemberData(nameof(Models))]
    public void Concurrent_calls_give_the_single_threaded_results(string kind)
    {
        var model = kind == "mlp" ? Mlp() : Graph(customMetric: kind == "custom-metric");
        var large = Tensor.RandomNormal([2000, 64], seed: 11);
        var small = Tensor.RandomNormal([8, 64], seed: 12);
        var labels = Enumerable.Range(0, 2000).Select(r => r * 7 % 10).ToArray();
        var y = Ops.OneHot(labels, 10);
        var ySmall = Ops.Slice(y, [0, 0], [8, 10]);

        var expectLarge = model.Predict(large, batchSize: 256, verbose: 0).ToArray();
        var expectSmall = model.Predict(small, verbose: 0).ToArray();
        var expectOnBatch = model.PredictOnBatch(small).ToArray();
        var expectEval = model.Evaluate(large, y, batchSize: 128, verbose: 0);
        var expectEvalSmall = model.Evaluate(small, ySmall, verbose: 0);
        Assert.Equal(kind == "mlp" ? 4 : 3, expectEval.Length);   // loss and every metric

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int r = 0; r < Rounds; r++)
            {
                try
                {
                    switch ((t + r) % 4)
                    {
                        case 0: Check("Predict large", expectLarge, model.Predict(large, batchSize: 256, verbose: 0).ToArray()); break;
                        case 1: Check("Predict 8 rows", expectSmall, model.Predict(small, verbose: 0).ToArray()); break;
                        case 2:
                            Check("PredictOnBatch", expectOnBatch, model.PredictOnBatch(small).ToArray());
                            Check("Evaluate 8 rows", expectEvalSmall, model.Evaluate(small, ySmall, verbose: 0));
                            break;
                        default: Check("Evaluate", expectEval, model.Evaluate(large, y, batchSize: 128, verbose: 0)); break;
                    }
                }
                catch (Exception e) { failures.Enqueue($"thread {t}, round {r}: {e.GetType().Name}: {e.Message}"); }
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));

        void Check(string what, float[] expected, float[] actual)
        {
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                int i = Enumerable.Range(0, Math.Min(expected.Length, actual.Length)).FirstOrDefault(k => expected[k] != actual[k]);
                failures.Enqueue($"{what}: value {i} is {(i < actual.Length ? actual[i] : float.NaN)}, expected {expected[i]}");
            }
        }
    }

    [Fact]
    public void Every_metric_clones_empty_with_its_configuration()
    {
        Metric[] metrics =
        [
            new Accuracy(), new BinaryAccuracy(threshold: 0.7), new CategoricalAccuracy(), new SparseCategoricalAccuracy(),
            new TopKCategoricalAccuracy(k: 2, name: "top2"), new Precision(threshold: 0.3), new Recall(threshold: 0.3),
            new F1Score(threshold: 0.4), new AUC(numThresholds: 50), new MeanAbsoluteError(), new MeanSquaredError(),
            new RootMeanSquaredError(), new Mean("m"),
        ];
        var yPred = Tensor.FromArray(new float[] { 0.1f, 0.35f, 0.55f, 0.65f, 0.2f, 0.8f, 0.5f, 0.1f, 0.4f }, 3, 3);
        var yTrue = Tensor.FromArray(new float[] { 0, 1, 0, 1, 0, 0, 0, 0, 1 }, 3, 3);
        var sparse = Tensor.FromArray(new float[] { 1, 0, 2 }, 3, 1);
        foreach (var m in metrics)
        {
            var t = m is SparseCategoricalAccuracy ? sparse : yTrue;
            m.UpdateState(t, yPred);
            var copy = m.CloneEmpty();
            Assert.NotNull(copy);
            Assert.Equal(m.GetType(), copy.GetType());
            Assert.Equal(m.Name, copy.Name);
            Assert.Equal(0f, copy.Result());          // nothing accumulated
            copy.UpdateState(t, yPred);
            Assert.Equal(m.Result(), copy.Result());  // same configuration (threshold, k, ...)
        }
    }
}
