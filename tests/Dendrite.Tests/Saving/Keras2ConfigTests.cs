using System.Text.Json.Nodes;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving;
using Dendrite.Saving.Hdf5;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Saving;

/// <summary>Legacy files from Keras 1/2 leave out keys whose Keras 3 defaults differ: the loader fills in Keras 2's.</summary>
public sealed class Keras2ConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-keras2-").FullName;

    public Keras2ConfigTests() => Hdf5Saving.Enable();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A legacy .h5 of <paramref name="model"/> as Keras <paramref name="version"/> would have written it: without "reset_after".</summary>
    private string WriteWithoutResetAfter(Model model, string version)
    {
        var root = LegacyH5.ModelFile(model);
        var config = JsonNode.Parse((string)root.Attributes["model_config"])!;
        foreach (var layer in config["config"]!["layers"]!.AsArray())
            if ((string?)layer!["class_name"] == "GRU") layer["config"]!.AsObject().Remove("reset_after");
        root.Attributes["model_config"] = config.ToJsonString();
        root.Attributes["keras_version"] = version;
        string path = Path.Combine(_dir, $"gru-{version}.h5");
        using (var f = File.Create(path)) Hdf5Support.Codec!.Write(root, f);
        return path;
    }

    [Fact]
    public void A_keras_2_gru_without_reset_after_is_the_original_gru_and_a_keras_3_one_the_new()
    {
        var original = new Sequential([new Input(shape: [5, 3]), new GRU(4, resetAfter: false, name: "gru"), new Dense(2)]);
        var x = Tensor.RandomNormal([2, 5, 3], seed: 4);

        var keras2 = Model.Load(WriteWithoutResetAfter(original, "2.2.4"));
        Assert.False(((GRU)keras2.GetLayer("gru")).ResetAfter);
        TensorAssert.Close(original.Predict(x), keras2.Predict(x), atol: 0, rtol: 0);

        // The same config from Keras 3 means reset_after true, whose bias has another shape: the weights do not fit.
        var e = Assert.Throws<InvalidDataException>(() => Model.Load(WriteWithoutResetAfter(original, "3.10.0")));
        Assert.Contains("shape", e.Message);
    }

    [Fact]
    public void A_keras_2_hard_sigmoid_is_the_slope_0_2_one_and_a_keras_3_one_stays_keras_3s()
    {
        var original = new Sequential([new Input(shape: [5, 3]),
            new LSTM(4, recurrentActivation: Activations.HardSigmoid, returnSequences: true, name: "lstm"),
            new Dense(2, activation: "hard_sigmoid", name: "dense")]);
        var root = LegacyH5.ModelFile(original);
        var config = JsonNode.Parse((string)root.Attributes["model_config"])!;
        var layers = config["config"]!["layers"]!.AsArray();
        Assert.Contains(layers, l => (string?)l!["config"]!["recurrent_activation"] == "hard_sigmoid");

        var keras2 = Model.Load(WriteWithVersion(original, "2.2.4"));
        Assert.Same(Activations.HardSigmoidKeras2, ((LSTM)keras2.GetLayer("lstm")).RecurrentActivation);
        Assert.Same(Activations.Tanh, ((LSTM)keras2.GetLayer("lstm")).Activation);
        Assert.Same(Activations.HardSigmoidKeras2, ((Dense)keras2.GetLayer("dense")).Activation);

        var keras3 = Model.Load(WriteWithVersion(original, "3.10.0"));
        Assert.Same(Activations.HardSigmoid, ((LSTM)keras3.GetLayer("lstm")).RecurrentActivation);
        Assert.Same(Activations.HardSigmoid, ((Dense)keras3.GetLayer("dense")).Activation);
        var x = Tensor.RandomNormal([2, 5, 3], seed: 5);
        TensorAssert.Close(original.Predict(x), keras3.Predict(x), atol: 0, rtol: 0);

        // The upgrade itself: only activation keys naming "hard_sigmoid" change.
        var node = JsonNode.Parse("""{"class_name":"LSTM","config":{"name":"hard_sigmoid","activation":"tanh","recurrent_activation":"hard_sigmoid"}}""");
        Keras2Configs.Upgrade(node);
        Assert.Equal("hard_sigmoid_keras2", (string?)node!["config"]!["recurrent_activation"]);
        Assert.Equal("tanh", (string?)node["config"]!["activation"]);
        Assert.Equal("hard_sigmoid", (string?)node["config"]!["name"]);
    }

    private string WriteWithVersion(Model model, string version)
    {
        var root = LegacyH5.ModelFile(model);
        root.Attributes["keras_version"] = version;
        string path = Path.Combine(_dir, $"model-{version}.h5");
        using (var f = File.Create(path)) Hdf5Support.Codec!.Write(root, f);
        return path;
    }
}
