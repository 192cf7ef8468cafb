using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving.Hdf5;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Layers;

/// <summary>TimeDistributed: values against NumPy, gradients, the harness, Keras config and weight paths, saving.</summary>
public sealed class TimeDistributedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-td-").FullName;

    public TimeDistributedTests() => Hdf5Saving.Enable();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact] public void Harness_dense() => LayerHarness.Check(() => new TimeDistributed(new Dense(3, activation: "tanh")), [[4, 2]], [4, 3], 9);
    [Fact] public void Harness_flatten() => LayerHarness.Check(() => new TimeDistributed(new Flatten()), [[3, 2, 2]], [3, 4], 0);

    [Fact]
    public void Applies_the_layer_to_every_step_like_numpy()
    {
        var x = Tensor.FromArray([1, 2, 3, -1, 0, 0.5f, -2, 1, 0.25f, 4, 1, 1], [2, 3, 2]);
        var td = new TimeDistributed(new Dense(3, activation: "tanh"));
        td.Call(x);
        td.SetWeights([Tensor.FromArray(new float[,] { { 1, -1, 0.5f }, { 2, 0.5f, -3 } }), Tensor.FromArray([0.1f, -0.2f, 0.3f])]);
        // np.tanh(x @ k + b)
        float[] expected = [0.9999256730079651f, -0.1973753273487091f, -0.9999391436576843f, 0.8004990220069885f, -0.998778223991394f,
            0.9998645782470703f, 0.8004990220069885f, 0.04995837062597275f, -0.8336546421051025f, 0.0996679961681366f, 0.9800963997840881f,
            -0.998778223991394f, 0.9999998807907104f, 0.913785457611084f, -1.0f, 0.995949387550354f, -0.6043677926063538f, -0.9757431149482727f];
        var y = td.Call(x);
        TensorAssert.ShapeIs([2, 3, 3], y);
        TensorAssert.Close(expected, y, atol: 1e-6f);
    }

    [Fact]
    public void Gradients_flow_to_the_input_and_the_shared_weights()
    {
        var td = new TimeDistributed(new Dense(2, activation: "sigmoid"));
        var x = Tensor.RandomUniform([2, 3, 4], -1f, 1f, seed: 5);
        td.Call(x);
        GradCheck.Check(t => td.Call(t[0]), [x], what: "TimeDistributed input");
        var kernel = td.Weights[0];
        GradCheck.Check(t => td.Call(x), [kernel], what: "TimeDistributed kernel");
    }

    [Fact]
    public void Config_nests_the_layer_as_keras_and_weights_go_under_layer()
    {
        var td = new TimeDistributed(new Dense(3, name: "inner"), name: "td");
        td.Call(Tensor.Zeros([1, 2, 5]));
        var c = td.GetConfig();
        Assert.Equal("Dense", (string?)c["layer"]!["class_name"]);
        Assert.Equal("keras.layers", (string?)c["layer"]!["module"]);
        Assert.Equal(3, (int)c["layer"]!["config"]!["units"]!);
        Assert.Equal(["vars", "layer/vars"], td.KerasVariables().Select(p => p.Path));
        Assert.Equal(2, td.KerasVariables().Last().Variables.Count);
        Assert.Equal(18, td.CountParams());
        Assert.Contains("td", Assert.Throws<ArgumentException>(() => new TimeDistributed(new Dense(2), name: "td2").Call(Tensor.Zeros([2, 3]))).Message);
    }

    [Theory]
    [InlineData("m.keras")]
    [InlineData("m.h5")]
    public void A_model_with_time_distributed_round_trips(string file)
    {
        var model = new Sequential([new Input([3, 4]), new TimeDistributed(new Dense(2, activation: "relu")), new Flatten(), new Dense(1)]);
        string path = Path.Combine(_dir, file);
        model.Save(path);
        var loaded = Model.Load(path);
        var x = Tensor.RandomNormal([5, 3, 4], seed: 2);
        TensorAssert.Close(model.Predict(x, verbose: 0), loaded.Predict(x, verbose: 0), atol: 0, rtol: 0);
        Assert.Equal(model.Layers[0].GetConfig().ToJsonString(), loaded.Layers[0].GetConfig().ToJsonString());
    }

    [Fact]
    public void Fit_trains_through_the_wrapper()
    {
        var model = new Sequential([new Input([3, 4]), new TimeDistributed(new Dense(2)), new Flatten(), new Dense(1)]);
        model.Compile(optimizer: new Dendrite.Optimizers.Adam(learningRate: 0.01), loss: "mse");
        var x = Tensor.RandomNormal([32, 3, 4], seed: 3);
        var y = Tensor.RandomNormal([32, 1], seed: 4);
        float before = model.Evaluate(x, y, verbose: 0)[0];
        model.Fit(x, y, epochs: 5, batchSize: 8, verbose: 0);
        Assert.True(model.Evaluate(x, y, verbose: 0)[0] < before);
    }
}
