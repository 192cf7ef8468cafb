using System.Text.Json.Nodes;
using Dendrite.Callbacks;
using Dendrite.Initializers;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Saving;

namespace Dendrite.Tests.Models;

/// <summary>Arguments are checked up front (issue 21): no silent NaN source, no overflow, clear errors naming the argument.</summary>
public class ArgumentTests
{
    private static Sequential Classifier(string loss = "sparse_categorical_crossentropy", string optimizer = "sgd")
    {
        var m = new Sequential([new Input(shape: [4]), new Dense(8, activation: "relu", kernelInitializer: new GlorotUniform(1)),
            new Dense(3, activation: "softmax", kernelInitializer: new GlorotUniform(2))]);
        m.Compile(optimizer: optimizer, loss: loss, metrics: ["accuracy"]);
        return m;
    }

    private static (Tensor X, Tensor Y) Data(int n, int classes = 3)
    {
        var x = Tensor.RandomNormal([n, 4], seed: 5);
        var y = Tensor.FromArray(Enumerable.Range(0, n).Select(i => (float)(i % classes)).ToArray(), n, 1);
        return (x, y);
    }

    private static List<float[]> Snapshot(Model m) => m.GetWeights().Select(w => w.ToArray()).ToList();

    public static TheoryData<double> BadRates() => [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -1e-3];

    [Theory, MemberData(nameof(BadRates))]
    public void Every_optimizer_refuses_a_learning_rate_that_is_not_finite_and_positive(double rate)
    {
        Func<Optimizer>[] make =
        [
            () => new SGD(rate), () => new Adam(rate), () => new AdamW(rate), () => new RMSprop(rate), () => new Adagrad(rate), () => new Nadam(rate),
        ];
        foreach (var f in make)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => f());
            Assert.Equal("learningRate", e.ParamName);
            Assert.Contains(rate.ToString(System.Globalization.CultureInfo.CurrentCulture), e.Message);
        }
    }

    [Fact]
    public void The_learning_rate_setter_refuses_nan_and_infinity_but_accepts_zero()
    {
        var sgd = new SGD(0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = double.NaN);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = double.PositiveInfinity);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -0.5);
        Assert.Equal(0.1, sgd.LearningRate);
        sgd.LearningRate = 0;
        Assert.Equal(0, sgd.LearningRate);
        Assert.Equal("clipnorm", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(0.1, clipnorm: double.NaN)).ParamName);
    }

    [Fact]
    public void Schedules_refuse_zero_decay_steps_and_non_finite_rates()
    {
        Assert.Equal("decaySteps", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0.1, decaySteps: 0)).ParamName);
        Assert.Equal("decaySteps", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, decaySteps: 0, decayRate: 0.9)).ParamName);
        Assert.Equal("decaySteps", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, decaySteps: -5, decayRate: 0.9)).ParamName);
        Assert.Equal("initialLearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(double.NaN, 10)).ParamName);
        Assert.Equal("decayRate", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, 10, double.NaN)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0.1, 10, alpha: double.NaN)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentOutOfRangeException>(() => new PiecewiseConstant([10], [0.1, double.NaN])).ParamName);
        Assert.Contains("increase", Assert.Throws<ArgumentException>(() => new PiecewiseConstant([10, 10], [0.1, 0.05, 0.01])).Message);
        // A schedule that used to divide by zero: every rate it gives is now finite.
        var s = new CosineDecay(0.1, decaySteps: 1);
        Assert.All(new long[] { 0, 1, 2, 1000 }, step => Assert.True(double.IsFinite(s.Compute(step))));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.PositiveInfinity)]
    public void Dropout_rate_must_be_in_0_1(double rate)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(rate));
        Assert.Equal("rate", e.ParamName);
    }

    [Fact]
    public void A_nan_class_weight_is_refused_before_training()
    {
        var m = Classifier();
        var (x, y) = Data(12);
        var before = Snapshot(m);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            m.Fit(x, y, epochs: 1, verbose: 0, classWeight: new Dictionary<int, double> { [0] = 1, [1] = double.NaN }));
        Assert.Equal("classWeight", e.ParamName);
        Assert.Contains("class 1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.TrainOnBatch(x, y, classWeight: new Dictionary<int, double> { [2] = -1 }));
        Assert.Equal(before, Snapshot(m));
    }

    [Fact]
    public void Bad_sparse_labels_are_found_before_training_and_named_by_their_sample()
    {
        var m = Classifier();
        var (x, y) = Data(40);
        y[29, 0] = 3f;                               // 3 classes: 0..2
        var before = Snapshot(m);
        bool began = false;
        var e = Assert.Throws<ArgumentException>(() => m.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0, shuffle: true,
            callbacks: [new LambdaCallback(onTrainBegin: _ => began = true)]));
        Assert.Contains("sample 29", e.Message);
        Assert.Contains("label 3", e.Message);
        Assert.Contains("0..2", e.Message);
        Assert.False(began, "training started before the labels were checked");
        Assert.Equal(before, Snapshot(m));

        var (vx, vy) = Data(6);
        vy[4, 0] = 0.5f;
        var ve = Assert.Throws<ArgumentException>(() => m.Fit(Data(8).X, Data(8).Y, verbose: 0, validationData: (vx, vy)));
        Assert.Contains("validationData", ve.Message);
        Assert.Contains("sample 4", ve.Message);
        Assert.Contains("sample 29", Assert.Throws<ArgumentException>(() => m.Evaluate(x, y, verbose: 0)).Message);
        Assert.Contains("sample 29", Assert.Throws<ArgumentException>(() => m.TrainOnBatch(x, y)).Message);
        Assert.Equal(before, Snapshot(m));
    }

    [Theory]
    [InlineData("sgd")]                     // a Dense chain with a fused loss: the compiled step
    [InlineData("adam")]
    public void BatchSize_int_MaxValue_is_one_batch(string optimizer)
    {
        var (x, y) = Data(10);
        var full = Classifier(optimizer: optimizer);
        var huge = Classifier(optimizer: optimizer);
        var start = Snapshot(full);
        full.Fit(x, y, batchSize: 10, epochs: 3, verbose: 0, shuffle: false);
        var h = huge.Fit(x, y, batchSize: int.MaxValue, epochs: 3, verbose: 0, shuffle: false);
        Assert.NotEqual(start, Snapshot(huge));          // it trained
        Assert.Equal(Snapshot(full), Snapshot(huge));
        Assert.Equal(3, h["loss"].Count);
        Assert.Equal(full.Evaluate(x, y, batchSize: 10, verbose: 0), huge.Evaluate(x, y, batchSize: int.MaxValue, verbose: 0));
        Assert.NotEqual(0f, huge.Evaluate(x, y, batchSize: int.MaxValue, verbose: 0)[0]);
        Assert.Equal(full.Predict(x, batchSize: 4, verbose: 0).ToArray(), huge.Predict(x, batchSize: int.MaxValue, verbose: 0).ToArray());
        Assert.Equal(full.Predict(x, batchSize: 4, verbose: 0).ToArray(), huge.Predict(x, batchSize: int.MaxValue - 1, verbose: 0).ToArray());
    }

    [Fact]
    public void BatchSize_int_MaxValue_on_the_tape_path()
    {
        // A graph with a merge trains on the autodiff tape.
        Model Make()
        {
            var i = new Input(shape: [4]);
            var a = new Dense(3, kernelInitializer: new GlorotUniform(3)).Call(i);
            var b = new Dense(3, kernelInitializer: new GlorotUniform(4)).Call(i);
            var m = new Model(i, new Add().Call(a, b));
            m.Compile(optimizer: "sgd", loss: "mse");
            return m;
        }
        var x = Tensor.RandomNormal([9, 4], seed: 8);
        var y = Tensor.RandomNormal([9, 3], seed: 9);
        var full = Make();
        var huge = Make();
        full.Fit(x, y, batchSize: 9, epochs: 2, verbose: 0, shuffle: false);
        huge.Fit(x, y, batchSize: int.MaxValue, epochs: 2, verbose: 0, shuffle: false);
        Assert.Equal(Snapshot(full), Snapshot(huge));
        Assert.Equal(full.Evaluate(x, y, batchSize: 9, verbose: 0), huge.Evaluate(x, y, batchSize: int.MaxValue, verbose: 0));
        Assert.Equal(full.Predict(x, verbose: 0).ToArray(), huge.Predict(x, batchSize: int.MaxValue, verbose: 0).ToArray());
    }

    [Fact]
    public void Null_arguments_name_the_parameter()
    {
        var m = Classifier();
        var (x, y) = Data(4);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => m.Fit(null!, y, verbose: 0)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => m.Fit(x, null!, verbose: 0)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => m.Fit([x], (IReadOnlyList<Tensor>)null!, verbose: 0)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => m.Evaluate(null!, y, verbose: 0)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => m.Evaluate(x, null!, verbose: 0)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => m.Predict((Tensor)null!, verbose: 0)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => m.PredictOnBatch(null!)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => m.TrainOnBatch(null!, y)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => m.TrainOnBatch(x, null!)).ParamName);
        Assert.Equal("config", Assert.Throws<ArgumentNullException>(() => LayerRegistry.FromConfig("Dense", null!)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentNullException>(() => new Dense(2).Call((Tensor)null!)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentNullException>(() => new Dense(2).Call((SymbolicTensor)null!)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentNullException>(() => new Model(new Input(shape: [2]), null!)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => m.SetWeights(null!)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => m.SetWeights(new Tensor[m.Weights.Count])).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => WeightsFile.Save("never-written.dnw", null!)).ParamName);
        Assert.False(File.Exists("never-written.dnw"));
    }

    [Fact]
    public void TrainOnBatch_and_Fit_on_zero_rows_say_so()
    {
        var m = Classifier();
        var x = Tensor.Zeros([0, 4]);
        var y = Tensor.Zeros([0, 1]);
        Assert.Contains("0 samples", Assert.Throws<ArgumentException>(() => m.TrainOnBatch(x, y)).Message);
        Assert.Contains("0 samples", Assert.Throws<ArgumentException>(() => m.Fit(x, y, verbose: 0)).Message);
        Assert.Contains("0 samples", Assert.Throws<ArgumentException>(() => m.Evaluate(x, y, verbose: 0)).Message);
    }

    [Fact]
    public void Popping_the_only_layer_leaves_an_empty_model_that_runs_nothing()
    {
        var m = new Sequential([new Input(shape: [3]), new Dense(2, name: "only")]);
        m.Pop();
        Assert.Empty(m.Layers);
        Assert.Empty(m.Weights);
        Assert.Equal(0, m.CountParams());
        Assert.False(m.HasGraph);
        Assert.Contains("no layers", Assert.Throws<InvalidOperationException>(() => m.Predict(Tensor.Zeros([1, 3]), verbose: 0)).Message);
        Assert.Contains("no layer to pop", Assert.Throws<InvalidOperationException>(() => m.Pop()).Message);
        m.Add(new Dense(5, name: "again"));
        Assert.Equal(new Shape(2, 5), m.Predict(Tensor.Zeros([2, 3]), verbose: 0).Shape);
        Assert.Equal(20, m.CountParams());
    }

    [Theory]
    [InlineData("Dense", "{}", "'units'")]
    [InlineData("Dropout", "{}", "'rate'")]
    [InlineData("Reshape", "{}", "'target_shape'")]
    [InlineData("Activation", "{}", "'activation'")]
    [InlineData("InputLayer", "{}", "'batch_shape'")]
    [InlineData("Dense", "{\"units\": 4, \"kernel_initializer\": {\"config\": {}}}", "'class_name'")]
    [InlineData("Dense", "{\"units\": \"four\"}", "wrong type")]
    public void Configs_with_missing_keys_name_the_key(string className, string json, string expected)
    {
        var config = JsonNode.Parse(json)!.AsObject();
        var e = Assert.Throws<ArgumentException>(() => LayerRegistry.FromConfig(className, config));
        Assert.Contains(expected, e.Message);
        Assert.Equal("config", e.ParamName);
    }
}
