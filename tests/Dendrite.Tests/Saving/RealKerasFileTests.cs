using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving.Hdf5;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Saving;

/// <summary>
/// Real files written by Keras (../shared/keras-files, beside the checkout; the tests skip when it is absent). Reference
/// outputs come from tools/make_saving_references.py, an independent NumPy forward pass over the stored weights.
/// </summary>
public sealed class RealKerasFileTests
{
    public RealKerasFileTests() => Hdf5Saving.Enable();

    private static string? KerasFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "..", "shared", "keras-files", name);
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Dendrite.slnx"))) return Path.GetFullPath(candidate);
        }
        return null;
    }

    private static Tensor Inputs(int rows, int width, int mod, float shift, float scale)
    {
        var v = new float[rows * width];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(((i % mod) - (double)shift) / scale);
        return Tensor.FromArray(v, [rows, width]);
    }

    [Fact]
    public void Keras_3_3_3_sequential_mlp_loads_compiled_and_predicts_what_numpy_predicts()
    {
        if (KerasFile("keras3.3.3_sequential_mlp_amd36.keras") is not string path) return;   // ../shared absent: skipped
        var model = Model.Load(path);
        var seq = Assert.IsType<Sequential>(model);
        Assert.Equal(["dense", "dense_1", "dense_2"], seq.Layers.Select(l => l.Name));
        Assert.True(model.IsCompiled);
        Assert.Equal("SGD", model.Optimizer!.ClassName);
        Assert.Equal(0.15, model.Optimizer.LearningRate, 1e-7);
        Assert.Equal("categorical_crossentropy", model.Loss!.Name);
        Assert.Equal(["accuracy"], model.Metrics.Select(m => m.Name));
        float[] expected =
        [
            0.0020860128570348024f, 1.2784491332240577e-07f, 0.005587383639067411f, 0.2411469966173172f, 9.570390346880231e-08f,
            0.0013846470974385738f, 2.520994030419388e-06f, 6.972675237193471e-06f, 0.7480461597442627f, 0.0017390960128977895f,
            0.016697460785508156f, 3.7559379961749073e-06f, 0.12357714772224426f, 0.2612485885620117f, 1.3965625385026215e-06f,
            0.004043831489980221f, 0.0009636783506721258f, 1.4211157576937694e-05f, 0.5925055146217346f, 0.0009443897870369256f,
        ];
        TensorAssert.Close(expected, model.Predict(Inputs(2, 784, 17, 0, 16)), atol: 1e-6f, rtol: 1e-4f);
    }

    [Fact]
    public void TfKeras_2_13_functional_concat_h5_loads_and_predicts_what_numpy_predicts()
    {
        if (KerasFile("tfkeras2.13.1_functional_concat_ediashta.h5") is not string path) return;
        var model = Model.Load(path);
        Assert.Equal("Functional", model.ClassName);
        Assert.Equal(["input_1", "dense", "dense_1", "concatenate", "dense_2", "concatenate_1", "dense_3"], model.Layers.Select(l => l.Name));
        Assert.Equal(model.Layers.Select(l => l.Name), Dendrite.Saving.KerasLayerOrder.Of(model).Select(l => l.Name));  // Keras's order, recomputed
        Assert.False(model.GetLayer("dense").Trainable);                        // saved with trainable: false
        Assert.Equal("Adam", model.Optimizer!.ClassName);                      // "Custom>Adam" in the file
        Assert.Equal(0.0002, model.Optimizer.LearningRate, 1e-9);
        Assert.Equal("binary_crossentropy", model.Loss!.Name);
        TensorAssert.Close([0.5482831597328186f, 0.7381229996681213f, 0.89670330286026f], model.Predict(Inputs(3, 30, 7, 3, 30)), atol: 1e-6f, rtol: 1e-5f);
    }

    [Fact]
    public void Keras_3_15_embedding_simple_rnn_loads_and_predicts_what_numpy_predicts()
    {
        if (KerasFile("keras3.15.0_embedding_simplernn_bharath.keras") is not string path) return;
        var model = Model.Load(path);
        Assert.Equal(["embedding", "simple_rnn", "dense"], ((Sequential)model).Layers.Select(l => l.Name));
        Assert.Equal("relu", ((SimpleRNN)model.GetLayer("simple_rnn")).Activation.Name);
        var ids = Tensor.FromArray(Enumerable.Range(0, 100).Select(i => (float)(i * 37 % 5000)).ToArray(), [2, 50]);
        // tools/make_recurrent_file_references.py
        TensorAssert.Close([0.00293007144f, 0.000491840648f], model.Predict(ids, verbose: 0), atol: 1e-6f, rtol: 1e-4f);
    }

    [Theory]
    [InlineData("keras3.10.0_legacyh5_lstm_anuj.h5", "LSTM", -0.168085471f, 0.039612595f)]
    [InlineData("keras3.10.0_legacyh5_gru_anuj.h5", "GRU", 0.0307624824f, -0.442936361f)]
    public void Keras_3_10_legacy_h5_stacked_recurrent_models_load_and_predict_what_numpy_predicts(string file, string cls, float y0, float y1)
    {
        if (KerasFile(file) is not string path) return;
        var model = Model.Load(path);
        Assert.Equal(cls, ((Sequential)model).Layers[0].ClassName);
        var x = Inputs(2, 60, 13, 6, 10).Reshape(2, 60, 1);
        TensorAssert.Close([y0, y1], model.Predict(x, verbose: 0), atol: 1e-5f, rtol: 1e-4f);
    }

    [Theory]
    [InlineData("keras3.14.0_sequential_cnn_gosolna.keras", "Conv2D")]
    [InlineData("keras3.10.0_functional_bn_carine.keras", "BatchNormalization")]
    [InlineData("keras2.3.1_sequential_cnn_ikukang.h5", "Conv2D")]
    [InlineData("keras2.0.5_functional_xception_bn_oarriaga.hdf5", "Conv2D")]
    public void Files_with_layers_Dendrite_lacks_fail_naming_the_class_and_how_to_register_one(string file, string cls)
    {
        if (KerasFile(file) is not string path) return;
        var e = Assert.Throws<NotSupportedException>(() => Model.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"'{cls}'", e.Message);
        Assert.Contains($"LayerRegistry.Register<TLayer>(\"{cls}\")", e.Message);
    }

    [Fact]
    public void Weights_of_a_real_file_load_into_a_model_built_in_code()
    {
        if (KerasFile("keras3.3.3_sequential_mlp_amd36.keras") is not string path) return;
        var model = new Sequential([new Input(shape: [784]), new Dense(32, activation: "relu"), new Dense(128, activation: "relu"), new Dense(10, activation: "softmax")]);
        model.LoadWeights(path);
        TensorAssert.Close(Model.Load(path).Predict(Inputs(2, 784, 17, 0, 16)), model.Predict(Inputs(2, 784, 17, 0, 16)), atol: 0, rtol: 0);
    }
}
