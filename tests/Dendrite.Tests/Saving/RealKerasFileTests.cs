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

    /// <summary>All 11 files.</summary>
    public static TheoryData<string> Loadable() => new(RealKerasFileReferences.All.Select(r => r.File).ToArray());

    [Theory, MemberData(nameof(Loadable))]
    public void Real_file_loads_and_predicts_what_an_independent_numpy_forward_pass_predicts(string file)
    {
        if (KerasFile(file) is not string path) return;                        // ../shared absent: skipped
        var reference = RealKerasFileReferences.All.Single(r => r.File == file);
        var y = Model.Load(path).Predict(reference.Input());
        Assert.Equal(reference.OutputShape, y.Shape.ToArray());
        TensorAssert.Close(reference.Expected, y, atol: 1e-5f, rtol: 1e-4f, what: file);   // 1e-5 + 1e-4·|ref|
    }

    /// <summary>tools/make_cnn_references.py: a PyTorch forward pass over the stored weights.</summary>
    private static readonly float[] GosolnaCnn =
        [
            0.0704401358962059f, 0.07534373551607132f, 0.11813581734895706f, 0.07842865586280823f, 0.09221947193145752f,
            0.07993146032094955f, 0.08389466255903244f, 0.08992552012205124f, 0.22415602207183838f, 0.08752451092004776f,
            0.06666836887598038f, 0.08161970227956772f, 0.1135537251830101f, 0.08351945132017136f, 0.10582730919122696f,
            0.09127932041883469f, 0.08482851088047028f, 0.0925876721739769f, 0.17294494807720184f, 0.10717099159955978f,
        ];

    private static readonly float[] IkukangCnn =
        [
            0.01749308779835701f, 0.006325941067188978f, 0.04227502644062042f, 0.17770206928253174f, 0.014519017189741135f,
            0.30717915296554565f, 0.013742656446993351f, 0.016617851331830025f, 0.3623199164867401f, 0.04182526469230652f,
            0.01838177628815174f, 0.005515202414244413f, 0.07500604540109634f, 0.29810500144958496f, 0.015332069247961044f,
            0.17705078423023224f, 0.01268956158310175f, 0.01625547558069229f, 0.33756738901138306f, 0.0440966971218586f,
        ];

    [Theory]
    [InlineData("keras3.14.0_sequential_cnn_gosolna.keras")]
    [InlineData("keras2.3.1_sequential_cnn_ikukang.h5")]
    [InlineData("keras2.0.5_functional_xception_bn_oarriaga.hdf5")]
    public void Cnn_files_load_and_predict_what_pytorch_predicts(string file)
    {
        if (KerasFile(file) is not string path) return;
        var model = Model.Load(path);
        if (file.Contains("xception"))
        {
            var p = model.Predict(Tensor.RandomUniform([2, .. model.Inputs[0].Shape.ToArray()], seed: 1), verbose: 0);
            Assert.Equal(new Shape(2, 7), p.Shape);
            Assert.All(Enumerable.Range(0, 2), r => Assert.Equal(1f, p.ToArray().Skip(7 * r).Take(7).Sum(), 4));
            return;
        }
        var expected = file.Contains("gosolna") ? GosolnaCnn : IkukangCnn;
        TensorAssert.Close(expected, model.Predict(Inputs(2, 784, 17, 0, 16).Reshape(2, 28, 28, 1), verbose: 0), atol: 1e-6f, rtol: 1e-4f);
    }

    [Fact]
    public void Keras_3_10_functional_batch_normalization_loads_and_predicts_what_numpy_predicts()
    {
        if (KerasFile("keras3.10.0_functional_bn_carine.keras") is not string path) return;
        var model = Model.Load(path);
        Assert.Equal(["input_layer_7", "dense_21", "batch_normalization_7", "dropout_7", "dense_22", "dense_23"], model.Layers.Select(l => l.Name));
        var bn = Assert.IsType<BatchNormalization>(model.GetLayer("batch_normalization_7"));
        Assert.Equal((-1, 0.99, 1e-3), (bn.Axis, bn.Momentum, bn.Epsilon));
        Assert.Equal(256, bn.TrainableWeights.Sum(w => w.Size));
        Assert.Equal(256, bn.NonTrainableWeights.Sum(w => w.Size));
        Assert.NotEqual(1f, bn.MovingVariance.ToArray()[0]);                 // vars/3 landed in moving_variance
        TensorAssert.Close([0.3459041118621826f, 0.36856043338775635f, 0.41746094822883606f], model.Predict(Inputs(3, 11, 7, 3, 5)), atol: 1e-6f, rtol: 1e-5f);
        // Saved again by Dendrite, the weights land at the same paths and predict the same.
        string copy = Path.Combine(Path.GetTempPath(), $"dendrite-bn-{Guid.NewGuid():N}.keras");
        try
        {
            model.Save(copy);
            TensorAssert.Close(model.Predict(Inputs(3, 11, 7, 3, 5)), Model.Load(copy).Predict(Inputs(3, 11, 7, 3, 5)), atol: 0, rtol: 0);
        }
        finally { File.Delete(copy); }
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
