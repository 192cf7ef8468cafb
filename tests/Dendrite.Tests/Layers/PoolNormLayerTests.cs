using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Layers;

public class PoolNormLayerTests
{
    [Fact] public void MaxPooling2D() => LayerHarness.Check(() => new MaxPooling2D(poolSize: 2), [[5, 6, 3]], [2, 3, 3], 0);
    [Fact] public void MaxPooling2D_same() => LayerHarness.Check(() => new MaxPooling2D((3, 2), strides: 2, padding: "same"), [[5, 5, 2]], [3, 3, 2], 0);
    [Fact] public void MaxPooling1D() => LayerHarness.Check(() => new MaxPooling1D(), [[7, 3]], [3, 3], 0);
    [Fact] public void AveragePooling2D() => LayerHarness.Check(() => new AveragePooling2D(poolSize: 3, strides: 2, padding: "same"), [[5, 6, 3]], [3, 3, 3], 0);
    [Fact] public void AveragePooling1D() => LayerHarness.Check(() => new AveragePooling1D(2, strides: 1, padding: "same"), [[7, 3]], [7, 3], 0);
    [Fact] public void GlobalAveragePooling2D() => LayerHarness.Check(() => new GlobalAveragePooling2D(), [[4, 5, 3]], [3], 0);
    [Fact] public void GlobalAveragePooling1D_keepdims() => LayerHarness.Check(() => new GlobalAveragePooling1D(keepDims: true), [[4, 3]], [1, 3], 0);
    [Fact] public void GlobalMaxPooling2D_keepdims() => LayerHarness.Check(() => new GlobalMaxPooling2D(keepDims: true), [[4, 5, 3]], [1, 1, 3], 0);
    [Fact] public void GlobalMaxPooling1D() => LayerHarness.Check(() => new GlobalMaxPooling1D(), [[4, 3]], [3], 0);
    // momentum 0 and a warm-up call: the moving statistics are the batch's, so evaluation sees what training saw.
    [Fact] public void BatchNormalization() => LayerHarness.Check(() => new BatchNormalization(momentum: 0), [[3, 4, 5]], [3, 4, 5], 20, warmUp: true);
    [Fact] public void BatchNormalization_axis_1() => LayerHarness.Check(() => new BatchNormalization(axis: 1, momentum: 0, center: false), [[3, 4]], [3, 4], 9, warmUp: true);
    [Fact] public void LayerNormalization() => LayerHarness.Check(() => new LayerNormalization(), [[3, 4]], [3, 4], 8);
    [Fact] public void LayerNormalization_two_axes() => LayerHarness.Check(() => new LayerNormalization(axis: new[] { -2, -1 }, scale: false), [[3, 4]], [3, 4], 12);
    [Fact] public void ZeroPadding2D() => LayerHarness.Check(() => new ZeroPadding2D(((1, 2), (0, 3))), [[3, 4, 2]], [6, 7, 2], 0);
    [Fact] public void Cropping2D() => LayerHarness.Check(() => new Cropping2D((1, 2)), [[5, 6, 2]], [3, 2, 2], 0);
    [Fact] public void UpSampling2D() => LayerHarness.Check(() => new UpSampling2D((2, 3)), [[2, 3, 2]], [4, 9, 2], 0);
    [Fact] public void SpatialDropout2D() => LayerHarness.Check(() => new SpatialDropout2D(0.5, seed: 1), [[3, 3, 4]], [3, 3, 4], 0);

    [Fact]
    public void Contract_forms_have_keras_defaults()
    {
        var bn = new BatchNormalization();
        Assert.Equal((-1, 0.99, 1e-3, true, true), (bn.Axis, bn.Momentum, bn.Epsilon, bn.Center, bn.Scale));
        var mp = new MaxPooling2D(poolSize: 2);
        Assert.Equal([2, 2], mp.PoolSize);
        Assert.Equal([2, 2], mp.Strides);
        Assert.Equal("valid", mp.Padding);
        Assert.Equal([2, 2], new MaxPooling2D().PoolSize);
        var ap = new AveragePooling2D(poolSize: 3, strides: 2, padding: "same");
        Assert.Equal([3, 3], ap.PoolSize);
        Assert.Equal([2, 2], ap.Strides);
        Assert.Equal("same", ap.Padding);
        Assert.False(new GlobalAveragePooling2D().KeepDims);
        Assert.Equal(new Padding2D(1, 1, 1, 1), new ZeroPadding2D().Padding);
        Assert.Equal([2, 2], new UpSampling2D().Size);
        Assert.Equal(0.3f, new LeakyReLU().NegativeSlope);
    }

    [Fact]
    public void Keras_configs_use_keras_key_names()
    {
        var mp = new MaxPooling2D(poolSize: 2).GetConfig();
        Assert.Equal("[2,2]", mp["pool_size"]!.ToJsonString());
        Assert.Equal("[2,2]", mp["strides"]!.ToJsonString());
        Assert.Equal("channels_last", (string?)mp["data_format"]);
        Assert.Equal("[[1,2],[3,3]]", new ZeroPadding2D(((1, 2), (3, 3))).GetConfig()["padding"]!.ToJsonString());
        Assert.Equal("[[2,2],[1,1]]", new Cropping2D((2, 1)).GetConfig()["cropping"]!.ToJsonString());
        var bn = new BatchNormalization().GetConfig();
        foreach (var key in new[] { "axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer", "synchronized" })
            Assert.True(bn.ContainsKey(key), key);
        var ln = new LayerNormalization();
        ln.Call(Tensor.Zeros([2, 3, 4]));
        Assert.Equal("[2]", ln.GetConfig()["axis"]!.ToJsonString());
    }

    [Fact]
    public void BatchNormalization_weights_summary_and_keras_order()
    {
        var x = new Input([4, 4, 3]);
        var bn = new BatchNormalization();
        var model = new Model(x, bn.Call(x));
        Assert.Equal(["batch_normalization/gamma", "batch_normalization/beta", "batch_normalization/moving_mean", "batch_normalization/moving_variance"],
            bn.Weights.Select(w => w.Name!.Replace(bn.Name, "batch_normalization")).ToArray());
        Assert.Equal(6, bn.TrainableWeights.Sum(w => w.Size));
        Assert.Equal(6, bn.NonTrainableWeights.Sum(w => w.Size));
        var summary = model.SummaryText();
        Assert.Contains("Total params: 12", summary);
        Assert.Contains("Trainable params: 6", summary);
        Assert.Contains("Non-trainable params: 6", summary);
        var noScale = new BatchNormalization(scale: false);
        noScale.Call(Tensor.Zeros([1, 3]));
        Assert.Equal(["beta", "moving_mean", "moving_variance"], noScale.Weights.Select(w => w.Name!.Split('/')[^1]).ToArray());
    }

    [Fact]
    public void BatchNormalization_training_updates_moving_statistics_and_frozen_uses_them()
    {
        var bn = new BatchNormalization(momentum: 0.9);
        var batch = Tensor.FromArray([1f, 10f, 3f, 20f, 5f, 60f], 3, 2);
        var y = bn.Call(batch, training: true);
        // batch mean (3, 30), biased variance (8/3, 1400/3); the output uses them.
        TensorAssert.Close([0.3f, 3f], bn.MovingMean, atol: 1e-6f);
        TensorAssert.Close([0.9f + 0.1f * 8f / 3f, 0.9f + 0.1f * 1400f / 3f], bn.MovingVariance, atol: 1e-5f);
        TensorAssert.Close([-2f / MathF.Sqrt(8f / 3f + 1e-3f), -20f / MathF.Sqrt(1400f / 3f + 1e-3f)], Tensor.FromArray(y.ToArray()[..2], 2), atol: 1e-5f);
        // Inference and a frozen layer in training both use the moving statistics and leave them alone.
        var expected = Tensor.FromArray([(1f - 0.3f) / MathF.Sqrt(bn.MovingVariance.ToArray()[0] + 1e-3f)], 1);
        TensorAssert.Close(expected.ToArray()[0..1], Tensor.FromArray(bn.Call(batch, training: false).ToArray()[..1], 1), atol: 1e-6f);
        bn.Trainable = false;
        var before = bn.MovingMean.ToArray();
        TensorAssert.Close(expected.ToArray()[0..1], Tensor.FromArray(bn.Call(batch, training: true).ToArray()[..1], 1), atol: 1e-6f);
        Assert.Equal(before, bn.MovingMean.ToArray());
        Assert.Empty(bn.TrainableWeights);
    }

    [Fact]
    public void BatchNormalization_fit_moves_the_moving_mean_towards_the_data()
    {
        var x = new Input([3]);
        var model = new Model(x, new Dense(1).Call(new BatchNormalization(momentum: 0.5).Call(x)));
        model.Compile(optimizer: new Dendrite.Optimizers.SGD(learningRate: 0.01), loss: "mse");
        var data = Tensor.RandomUniform([32, 3], 4f, 6f, seed: 2);
        model.Fit(data, Tensor.Zeros([32, 1]), epochs: 3, batchSize: 8, verbose: 0);
        var bn = (BatchNormalization)model.Layers.First(l => l is BatchNormalization);
        Assert.All(bn.MovingMean.ToArray(), m => Assert.InRange(m, 4.5f, 5.5f));
        Assert.All(bn.MovingVariance.ToArray(), v => Assert.InRange(v, 0.15f, 0.6f));
    }

    [Fact]
    public void Reshaping_layers_compute_keras_values()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 2, 2, 1);
        TensorAssert.Close([0f, 0f, 0f, 0f, 1f, 2f, 0f, 3f, 4f], new ZeroPadding2D(((1, 0), (1, 0))).Call(x).Reshape(-1));
        Assert.Equal(new Shape(1, 5, 4, 1), new ZeroPadding2D(((1, 2), (1, 1))).Call(x).Shape);
        TensorAssert.Close([1f, 1f, 2f, 2f, 1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 3f, 3f, 4f, 4f], new UpSampling2D().Call(x).Reshape(-1));
        var big = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 1, 3, 4, 1);
        TensorAssert.Close([5f, 6f], new Cropping2D(((1, 1), (1, 1))).Call(big).Reshape(-1));
    }

    [Fact]
    public void SpatialDropout2D_drops_whole_feature_maps()
    {
        var y = new SpatialDropout2D(0.5, seed: 3).Call(Tensor.Ones([8, 4, 4, 6]), training: true).ToArray();
        for (int n = 0; n < 8; n++)
            for (int c = 0; c < 6; c++)
            {
                var map = Enumerable.Range(0, 16).Select(p => y[(n * 16 + p) * 6 + c]).Distinct().ToArray();
                Assert.Single(map);
                Assert.True(map[0] == 0f || map[0] == 2f);
            }
        Assert.InRange(y.Count(v => v == 0f) / (double)y.Length, 0.3, 0.7);
        Assert.Equal(Tensor.Ones([2, 2, 2, 3]).ToArray(), new SpatialDropout2D(0.5).Call(Tensor.Ones([2, 2, 2, 3])).ToArray());
    }

    [Fact]
    public void Bad_inputs_throw_naming_the_layer_and_the_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => new MaxPooling2D(name: "pool").Call(Tensor.Zeros([2, 4, 3])));
        Assert.Contains("'pool'", e.Message);
        Assert.Contains("rank 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MaxPooling2D(4, name: "pool2").Call(Tensor.Zeros([1, 3, 5, 1])));
        Assert.Contains("'pool2'", e.Message);
        Assert.Contains("larger than the input (3)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new AveragePooling2D(2, padding: "causal", name: "ap"));
        Assert.Contains("'ap'", e.Message);
        Assert.Throws<ArgumentException>(() => new MaxPooling1D(dataFormat: "channels_first"));
        Assert.Contains("rank 3", Assert.Throws<ArgumentException>(() => new GlobalAveragePooling1D().Call(Tensor.Zeros([1, 2, 2, 2]))).Message);
        Assert.Contains("leaves nothing", Assert.Throws<ArgumentException>(() => new Cropping2D((2, 0)).Call(Tensor.Zeros([1, 4, 4, 1]))).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => new ZeroPadding2D(-1)).Message);
        Assert.Contains("nearest", Assert.Throws<ArgumentException>(() => new UpSampling2D(interpolation: "bilinear")).Message);
        Assert.Contains("axis 3", Assert.Throws<ArgumentException>(() => new BatchNormalization(axis: 3).Call(Tensor.Zeros([2, 3]))).Message);
        Assert.Contains("trailing", Assert.Throws<ArgumentException>(() => new LayerNormalization(axis: 1).Call(Tensor.Zeros([2, 3, 4]))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpatialDropout2D(1.0));
    }
}
