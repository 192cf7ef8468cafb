using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Saving.Hdf5;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Saving;

/// <summary>Models written by Dendrite and read back: configs, predictions, weights and optimizer state.</summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-saving-").FullName;

    public RoundTripTests() => Hdf5Saving.Enable();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    private static Tensor Data(int rows, int width, int seed) => Tensor.RandomNormal([rows, width], seed: seed);

    /// <summary>Each layer's config, and predictions, equal after a trip through a file.</summary>
    private static void AssertSameModel(Model expected, Model actual, Tensor? x)
    {
        Assert.Equal(expected.ClassName, actual.ClassName);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(Dendrite.Saving.KerasLayerOrder.Of(expected).Select(l => l.Name), actual.Layers.Select(l => l.Name));
        foreach (var e in expected.Layers)
        {
            var a = actual.GetLayer(e.Name);
            Assert.Equal(e.ClassName, a.ClassName);
            if (e is not Model) Assert.Equal(e.GetConfig().ToJsonString(), a.GetConfig().ToJsonString());
            Assert.Equal(e.Weights.Count, a.Weights.Count);
            for (int i = 0; i < e.Weights.Count; i++) Assert.Equal(e.Weights[i].ToArray(), a.Weights[i].ToArray());
        }
        if (x is not null) TensorAssert.Close(expected.Predict(x), actual.Predict(x), atol: 0, rtol: 0);
    }

    public static TheoryData<string> Formats => new() { "m.keras", "m.h5" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_sequential_model_with_every_single_input_layer_round_trips(string name)
    {
        var model = new Sequential([
            new Input(shape: [2, 6]), new Flatten(), new Dense(8, activation: "tanh"), new ReLU(maxValue: 2f, negativeSlope: 0.1f),
            new Dense(6, useBias: false), new LeakyReLU(0.2f), new Dropout(0.25, seed: 3), new ELU(0.5f), new Reshape([2, 3]),
            new Activation(Activations.Get("sigmoid")), new Flatten(), new Dense(4), new Softmax(),
        ], name: "every_layer");
        model.Save(File(name));
        var loaded = Assert.IsType<Sequential>(Model.Load(File(name)));
        AssertSameModel(model, loaded, Data(5, 12, 1).Reshape(5, 2, 6));
        Assert.False(loaded.IsCompiled);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_sequential_model_with_every_convolution_layer_round_trips(string name)
    {
        var model = new Sequential([
            new Input(shape: [6, 8, 2]), new Conv2D(4, (3, 2), strides: 2, padding: "same", activation: "relu"),
            new DepthwiseConv2D(2, depthMultiplier: 2, dilationRate: 1), new SeparableConv2D(3, 2, padding: "same", depthMultiplier: 2),
            new Conv2DTranspose(2, 3, strides: 2, padding: "same", outputPadding: 1), new Conv2D(4, 2, groups: 2, dilationRate: 2),
            new Reshape([-1, 4]), new Conv1D(3, 2, padding: "causal"), new Flatten(),
        ], name: "convolutions");
        model.Save(File(name));
        var loaded = Assert.IsType<Sequential>(Model.Load(File(name)));
        AssertSameModel(model, loaded, Data(3, 96, 1).Reshape(3, 6, 8, 2));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_functional_graph_with_every_merge_shared_layers_and_nested_models_round_trips(string name)
    {
        var a = new Input(shape: [4], name: "a");
        var b = new Input(shape: [4], name: "b");
        var shared = new Dense(4, activation: "relu", name: "shared");
        var sa = shared.Call(a);
        var sb = shared.Call(b);                                           // the same layer called twice
        var inner = new Sequential([new Input(shape: [4]), new Dense(4, activation: "elu")], name: "inner_seq");
        var fi = new Input(shape: [4]);
        var innerFunctional = new Model(fi, new Dense(4).Call(fi), name: "inner_functional");
        var merged = new List<SymbolicTensor>
        {
            new Add().Call(sa, sb), new Subtract().Call(sa, sb), new Multiply().Call(sa, sb), new Average().Call(sa, sb),
            new Maximum().Call(sa, sb), new Minimum().Call(sa, sb), inner.Call(sa), innerFunctional.Call(sb), innerFunctional.Call(sa),
        };
        var cat = new Concatenate().Call(merged);
        var outputs = new[] { new Dense(3, activation: "softmax", name: "head").Call(cat), new Dense(1, name: "aux").Call(sa) };
        var model = new Model([a, b], outputs, name: "graph");
        model.Save(File(name));
        var loaded = Model.Load(File(name));
        AssertSameModel(model, loaded, null);
        var x = new[] { Data(3, 4, 5), Data(3, 4, 6) };
        var expected = model.Run(x, training: false);
        var actual = loaded.Run(x, training: false);
        for (int i = 0; i < 2; i++) TensorAssert.Close(expected[i], actual[i], atol: 0, rtol: 0);
        Assert.Same(loaded.GetLayer("shared"), loaded.GetLayer("shared"));
        Assert.Equal(2, loaded.Inputs.Count);
    }

    [Fact]
    public void Weights_files_round_trip_in_both_layouts_and_keep_the_model_when_they_do_not_fit()
    {
        var model = new Sequential([new Input(shape: [3]), new Dense(5, activation: "relu"), new Dense(2)]);
        var copy = new Sequential([new Input(shape: [3]), new Dense(5, activation: "relu"), new Dense(2)]);
        foreach (var f in new[] { "w.weights.h5", "w.h5" })
        {
            model.SaveWeights(File(f));
            copy.LoadWeights(File(f));
            TensorAssert.Close(model.Predict(Data(4, 3, 7)), copy.Predict(Data(4, 3, 7)), atol: 0, rtol: 0);
        }
        var other = new Sequential([new Input(shape: [3]), new Dense(4, activation: "relu"), new Dense(2)]);
        var before = other.GetWeights().Select(w => w.ToArray()).ToList();
        Assert.Contains("shape", Assert.Throws<InvalidDataException>(() => other.LoadWeights(File("w.weights.h5"))).Message);
        Assert.Contains("shape", Assert.Throws<InvalidDataException>(() => other.LoadWeights(File("w.h5"))).Message);
        Assert.Equal(before, other.GetWeights().Select(w => w.ToArray()).ToList());
        Assert.Contains("`.weights.h5`", Assert.Throws<ArgumentException>(() => model.SaveWeights(File("w.bin"))).Message);
        Assert.Contains("`.keras`", Assert.Throws<ArgumentException>(() => model.Save(File("m.bin"))).Message);
    }

    public static TheoryData<string, string> Resumes => new()
    {
        { "adam", "m.keras" }, { "sgd", "m.keras" }, { "rmsprop", "m.keras" }, { "adam", "m.h5" }, { "sgd", "m.h5" }, { "rmsprop", "m.h5" },
        { "adam", "m.weights.h5" },
    };

    private static Optimizer MakeOptimizer(string name) => name switch
    {
        "adam" => new Adam(learningRate: 0.01),
        "sgd" => new SGD(learningRate: 0.05, momentum: 0.9),
        _ => new RMSprop(learningRate: 0.01, momentum: 0.5),
    };

    [Theory]
    [MemberData(nameof(Resumes))]
    public void Training_resumed_from_a_file_equals_uninterrupted_training(string optimizer, string file)
    {
        Model Build()
        {
            var m = new Sequential([new Input(shape: [4]), new Dense(6, activation: "relu", kernelInitializer: new Dendrite.Initializers.GlorotUniform(seed: 1)),
                new Dense(3, activation: "softmax", kernelInitializer: new Dendrite.Initializers.GlorotUniform(seed: 2))]);
            m.Compile(MakeOptimizer(optimizer), "categorical_crossentropy", ["accuracy"]);
            return m;
        }
        var x = Data(8, 4, 11);
        var y = Dendrite.Data.Utils.ToCategorical([0, 1, 2, 0, 1, 2, 0, 1], numClasses: 3);
        var model = Build();
        for (int i = 0; i < 3; i++) model.TrainOnBatch(x, y);
        Model resumed;
        if (file.EndsWith(".weights.h5"))
        {
            model.SaveWeights(File(file));
            resumed = Build();
            resumed.LoadWeights(File(file));
        }
        else
        {
            model.Save(File(file));
            resumed = Model.Load(File(file));
        }
        Assert.Equal(model.Optimizer!.ClassName, resumed.Optimizer!.ClassName);
        Assert.Equal(model.Optimizer.Iterations, resumed.Optimizer.Iterations);
        for (int i = 0; i < 3; i++) { model.TrainOnBatch(x, y); resumed.TrainOnBatch(x, y); }
        for (int i = 0; i < model.Weights.Count; i++)
            TensorAssert.Close(model.Weights[i].ToArray(), resumed.Weights[i], atol: 1e-6f, rtol: 0, what: $"weight {i}");
    }

    [Fact]
    public void Optimizer_variables_follow_keras_order_and_paths_use_keras_names()
    {
        var model = new Sequential([new Input(shape: [2]), new Dense(3), new LeakyReLU(), new Dense(1)]);
        model.Compile(new Adam(), "mse");
        model.TrainOnBatch(Data(4, 2, 1), Data(4, 1, 2));
        var root = Dendrite.Saving.KerasWeights.ToHdf(model);
        Assert.NotNull(root.FindDataset("layers/dense/vars/0"));
        Assert.NotNull(root.FindDataset("layers/dense_1/vars/1"));
        Assert.NotNull(root.Find("layers/leaky_re_lu/vars"));
        var ov = root.Find("optimizer/vars")!;
        Assert.Equal(2 + 2 * 4, ov.Datasets.Count);
        Assert.Equal([1L], ov.Datasets["0"].Longs!);
        Assert.Empty(ov.Datasets["1"].Shape);
        Assert.Equal([2, 3], ov.Datasets["2"].Shape);                    // m of dense kernel
        Assert.Equal([2, 3], ov.Datasets["3"].Shape);                    // v of dense kernel (interleaved)
        Assert.Equal([3], ov.Datasets["4"].Shape);
        Assert.Equal("sequential", Dendrite.Saving.KerasNaming.ToSnakeCase("Sequential"));
        Assert.Equal("re_lu", Dendrite.Saving.KerasNaming.ToSnakeCase("ReLU"));
        Assert.Equal("elu", Dendrite.Saving.KerasNaming.ToSnakeCase("ELU"));
    }
}
