using System.Text.Json.Nodes;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving;
using Dendrite.Saving.Hdf5;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Saving;

/// <summary>Keras 2's legacy spellings, user layers through the registry, and the config Dendrite writes.</summary>
public sealed class KerasConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-config-").FullName;

    public KerasConfigTests() => Hdf5Saving.Enable();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A legacy .h5 as Keras 2.1 wrote it: Sequential config as a bare list, batch_input_shape on the first
    /// layer, LeakyReLU's "alpha", VarianceScaling in configs, "lr" in the optimizer config, fixed metrics lists.</summary>
    [Fact]
    public void A_keras_2_legacy_h5_with_old_spellings_loads()
    {
        const string config = """
            {"class_name": "Sequential", "config": [
              {"class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "batch_input_shape": [null, 2], "dtype": "float32", "units": 2,
               "activation": "linear", "use_bias": true,
               "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": null}},
               "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null,
               "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}},
              {"class_name": "LeakyReLU", "config": {"name": "leaky_re_lu_1", "trainable": true, "alpha": 0.5}},
              {"class_name": "Dense", "config": {"name": "dense_2", "trainable": true, "units": 1, "activation": "sigmoid", "use_bias": true,
               "kernel_initializer": "glorot_uniform", "bias_initializer": "zeros"}}]}
            """;
        const string training = """
            {"optimizer_config": {"class_name": "Adam", "config": {"lr": 0.00010000000474974513, "beta_1": 0.8999999761581421, "beta_2": 0.9990000128746033, "epsilon": 1e-08, "decay": 0.0}},
             "loss": "binary_crossentropy", "metrics": [["accuracy"]], "sample_weight_mode": null, "loss_weights": null}
            """;
        var root = new HdfGroup();
        root.Attributes["keras_version"] = "2.1.6";
        root.Attributes["backend"] = "tensorflow";
        root.Attributes["model_config"] = config;
        root.Attributes["training_config"] = training;
        var mw = root.Group("model_weights");
        mw.Attributes["layer_names"] = new[] { "dense_1", "leaky_re_lu_1", "dense_2" };
        void Layer(string name, (string W, int[] Shape, float[] V)[] weights)
        {
            var g = mw.Group(name);
            g.Attributes["weight_names"] = weights.Length == 0 ? Array.Empty<double>() : weights.Select(w => w.W).ToArray();
            foreach (var (w, shape, v) in weights) g.Group(name).Datasets[w[(name.Length + 1)..]] = new HdfArray(shape, v);
        }
        Layer("dense_1", [("dense_1/kernel:0", [2, 2], [1, -1, 2, 0.5f]), ("dense_1/bias:0", [2], [0.1f, -0.2f])]);
        Layer("leaky_re_lu_1", []);
        Layer("dense_2", [("dense_2/kernel:0", [2, 1], [1, 2]), ("dense_2/bias:0", [1], [0.25f])]);
        string path = Path.Combine(_dir, "keras2.h5");
        using (var f = File.Create(path)) Hdf5Support.Codec!.Write(root, f);

        var model = Assert.IsType<Sequential>(Model.Load(path));
        Assert.Equal(["dense_1", "leaky_re_lu_1", "dense_2"], model.Layers.Select(l => l.Name));
        Assert.Equal(0.5f, Assert.IsType<LeakyReLU>(model.Layers[1]).NegativeSlope);
        Assert.Equal(1e-4, model.Optimizer!.LearningRate, 1e-10);
        Assert.Equal(["accuracy"], model.Metrics.Select(m => m.Name));
        // x = (1, 1): h = (1 + 2 + .1, -1 + .5 - .2) = (3.1, -0.7) -> leaky (3.1, -0.35) -> 3.1 - 0.7 + 0.25 = 2.65 -> sigmoid
        TensorAssert.Close([1f / (1f + MathF.Exp(-2.65f))], model.Predict(Tensor.FromArray(new float[,] { { 1, 1 } })), atol: 1e-6f);
    }

    /// <summary>A user layer: registered under its class name, it saves and loads; unregistered, loading names it.</summary>
    [Fact]
    public void User_layers_register_and_unknown_classes_are_named()
    {
        string path = Path.Combine(_dir, "custom.keras");
        var model = new Sequential([new Input(shape: [3]), new Dense(2), new Scale(3f, name: "scale_by_3")]);
        model.Save(path);
        var cfg = JsonNode.Parse(ReadConfig(path))!;
        Assert.Equal("Custom>Scale", (string?)cfg["config"]!["layers"]![2]!["registered_name"]);
        var e = Assert.Throws<NotSupportedException>(() => Model.Load(path));
        Assert.Contains("'Scale'", e.Message);
        Assert.Contains("LayerRegistry.Register<TLayer>(\"Scale\")", e.Message);
        LayerRegistry.Register<Scale>("Scale");
        var loaded = Model.Load(path);
        Assert.Equal(3f, Assert.IsType<Scale>(loaded.Layers[1]).Factor);
        var x = Tensor.FromArray(new float[,] { { 1, 2, 3 } });
        TensorAssert.Close(model.Predict(x), loaded.Predict(x), atol: 0, rtol: 0);
    }

    private static string ReadConfig(string keras)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(keras);
        using var r = new StreamReader(zip.GetEntry("config.json")!.Open());
        return r.ReadToEnd();
    }

    /// <summary>Functional configs carry Keras's fields: module, registered_name, inbound_nodes with __keras_tensor__
    /// args (a list inside args for merges), node index 1 for a nested functional model's first call, input/output_layers.</summary>
    [Fact]
    public void Functional_configs_use_keras_3_node_format()
    {
        var a = new Input(shape: [2], name: "in_a");
        var fi = new Input(shape: [2]);
        var inner = new Model(fi, new Dense(2).Call(fi), name: "inner");
        var y = new Add(name: "sum").Call(inner.Call(a), a);
        var model = new Model(a, y, name: "outer");
        string path = Path.Combine(_dir, "f.keras");
        model.Save(path);
        var cfg = JsonNode.Parse(ReadConfig(path))!;
        Assert.Equal("keras.src.models.functional", (string?)cfg["module"]);
        Assert.Equal("Functional", (string?)cfg["registered_name"]);
        var layers = cfg["config"]!["layers"]!.AsArray();
        Assert.Equal(["in_a", "inner", "sum"], layers.Select(l => (string?)l!["name"]));
        var sum = layers[2]!["inbound_nodes"]![0]!["args"]![0]!.AsArray();
        Assert.Equal("__keras_tensor__", (string?)sum[0]!["class_name"]);
        Assert.Equal("""["inner",1,0]""", sum[0]!["config"]!["keras_history"]!.ToJsonString());
        Assert.Equal("""["in_a",0,0]""", sum[1]!["config"]!["keras_history"]!.ToJsonString());
        Assert.Equal("""[["in_a",0,0]]""", cfg["config"]!["input_layers"]!.ToJsonString());
        Assert.Equal("""[["sum",0,0]]""", cfg["config"]!["output_layers"]!.ToJsonString());
        Assert.Equal("""{"input_shape":[null,2]}""", layers[1]!["build_config"]!.ToJsonString());
    }

    /// <summary>Configs as Keras 3 (real files) and Keras 2 wrote them for the pooling, normalization and spatial layers.</summary>
    [Theory]
    [InlineData("MaxPooling2D", """{"name": "max_pooling2d", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}""")]
    [InlineData("MaxPooling1D", """{"name": "max_pooling1d_1", "trainable": true, "dtype": "float32", "strides": 2, "pool_size": 3, "padding": "same", "data_format": "channels_last"}""")]
    [InlineData("AveragePooling2D", """{"name": "average_pooling2d", "trainable": true, "pool_size": [3, 3], "padding": "same", "strides": null, "data_format": "channels_last"}""")]
    [InlineData("GlobalAveragePooling2D", """{"name": "global_average_pooling2d_1", "trainable": true, "dtype": "float32", "data_format": "channels_last"}""")]
    [InlineData("GlobalMaxPooling1D", """{"name": "global_max_pooling1d", "trainable": true, "data_format": "channels_last", "keepdims": true}""")]
    [InlineData("BatchNormalization", """{"name": "batch_normalization_1", "trainable": true, "axis": [3], "momentum": 0.9, "epsilon": 1e-05, "center": true, "scale": false, "beta_initializer": {"class_name": "Zeros", "config": {}}, "gamma_initializer": {"class_name": "Ones", "config": {}}, "moving_mean_initializer": {"class_name": "Zeros", "config": {}}, "moving_variance_initializer": {"class_name": "Ones", "config": {}}, "beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null}""")]
    [InlineData("LayerNormalization", """{"name": "layer_normalization", "trainable": true, "axis": [3], "epsilon": 1e-06, "center": true, "scale": true, "rms_scaling": false, "beta_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "gamma_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null}, "beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null}""")]
    [InlineData("ZeroPadding2D", """{"name": "zero_padding2d", "trainable": true, "padding": [[1, 2], [3, 4]], "data_format": "channels_last"}""")]
    [InlineData("Cropping2D", """{"name": "cropping2d", "trainable": true, "cropping": [[1, 0], [0, 1]], "data_format": "channels_last"}""")]
    [InlineData("UpSampling2D", """{"name": "up_sampling2d", "trainable": true, "size": [2, 2], "data_format": "channels_last", "interpolation": "nearest"}""")]
    [InlineData("SpatialDropout2D", """{"name": "spatial_dropout2d", "trainable": true, "rate": 0.25, "seed": null, "noise_shape": null, "data_format": "channels_last"}""")]
    public void Keras_configs_of_spatial_layers_load_and_keep_their_values(string className, string json)
    {
        var config = JsonNode.Parse(json)!.AsObject();
        var layer = LayerRegistry.FromConfig(className, config);
        Assert.Equal(className, layer.ClassName);
        Assert.Equal((string?)config["name"], layer.Name);
        var written = layer.GetConfig();
        foreach (var key in new[] { "padding", "cropping", "size", "momentum", "center", "scale", "rate", "keepdims" })
            if (config[key] is JsonNode expected && written.ContainsKey(key))
                Assert.Equal(expected.ToJsonString(), written[key]!.ToJsonString());
        switch (layer)
        {
            case MaxPooling1D p: Assert.Equal([3], p.PoolSize); Assert.Equal([2], p.Strides); break;
            case AveragePooling2D p: Assert.Equal([3, 3], p.Strides); break;
            case BatchNormalization bn: Assert.Equal(3, bn.Axis); Assert.False(bn.Scale); Assert.Equal(1e-5, bn.Epsilon); break;
            case LayerNormalization ln: Assert.Equal([3], ln.Axis); Assert.Equal(1e-6, ln.Epsilon); break;
        }
    }
}
