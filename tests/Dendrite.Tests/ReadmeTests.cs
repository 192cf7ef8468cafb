using Dendrite.Data;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests;

/// <summary>The README's quick start, verbatim, with checks of what it computes.</summary>
[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public class ReadmeTests
{
    [Fact]
    public void Engine_quick_start_runs_and_its_gradients_are_right()
    {
        var x = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        var w = Tensor.RandomNormal([2, 3], stddev: 0.1f, seed: 42);
        var b = Tensor.Zeros([3]);
        w.RequiresGrad = b.RequiresGrad = true;

        var logits = Ops.MatMul(x, w) + b;
        var labels = Ops.OneHot([2, 0], depth: 3);
        var loss = Ops.Mean(Ops.SoftmaxCrossEntropyWithLogits(logits, labels));
        loss.Backward();

        // dLoss/db = mean over rows of (softmax - onehot); dLoss/dw = x^T (softmax - onehot) / 2.
        var p = Ops.Softmax(Ops.MatMul(x, w.Detach())).ToArray();
        var t = labels.ToArray();
        var expectedB = new float[3];
        var expectedW = new float[6];
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 3; c++)
            {
                float d = (p[r * 3 + c] - t[r * 3 + c]) / 2f;
                expectedB[c] += d;
                expectedW[0 * 3 + c] += x[r, 0] * d;
                expectedW[1 * 3 + c] += x[r, 1] * d;
            }
        TensorAssert.Close(expectedB, b.Grad!, atol: 1e-6f);
        TensorAssert.Close(expectedW, w.Grad!, atol: 1e-6f);
        Assert.Contains("[[", w.Grad!.ToString());
    }
}

/// <summary>End-to-end: the README's main job, trained the same way, must reach its stated accuracy.</summary>
[Collection(TestKit.GlobalSeedCollection.Name)]
public class MainJobTests
{
    [Fact]
    public void Embedded_mnist_mlp_reaches_95_percent_test_accuracy()
    {
        Utils.SetRandomSeed(42);
        var ((xTrain, yTrain), (xTest, yTest)) = Dendrite.Datasets.Mnist.LoadEmbedded(testFraction: 0.2, seed: 42);
        var inputs = new Dendrite.Layers.Input(shape: [28, 28]);
        var h = new Dendrite.Layers.Flatten().Call(inputs);
        h = new Dendrite.Layers.Dense(200, activation: "relu").Call(h);
        h = new Dendrite.Layers.Dense(150, activation: "relu").Call(h);
        var model = new Dendrite.Models.Model(inputs, new Dendrite.Layers.Dense(10, activation: "softmax").Call(h));
        model.Compile(optimizer: new Dendrite.Optimizers.Adam(learningRate: 0.0005), loss: "categorical_crossentropy", metrics: ["accuracy"]);
        model.Fit(xTrain, Dendrite.Data.Utils.ToCategorical(yTrain, 10), batchSize: 32, epochs: 10, validationSplit: 0.1, verbose: 0);
        var acc = model.EvaluateToDictionary(xTest, Dendrite.Data.Utils.ToCategorical(yTest, 10), verbose: 0)["accuracy"];
        Assert.True(acc >= 0.95f, $"test accuracy {acc}");
    }

    [Fact]
    public void Readme_cnn_snippet_trains_on_the_embedded_fashion_mnist()
    {
        // The README's "Convolutional networks" sample, with one epoch instead of three (CI time).
        Utils.SetRandomSeed(42);
        var ((xTrain, yTrain), (xTest, yTest)) = Dendrite.Datasets.FashionMnist.LoadEmbedded();
        var model = new Dendrite.Models.Sequential([
            new Dendrite.Layers.Input(shape: [28, 28, 1]),
            new Dendrite.Layers.Conv2D(filters: 32, kernelSize: 3, padding: "same"),
            new Dendrite.Layers.BatchNormalization(),
            new Dendrite.Layers.LeakyReLU(),
            new Dendrite.Layers.MaxPooling2D(poolSize: 2),
            new Dendrite.Layers.Flatten(),
            new Dendrite.Layers.Dropout(0.5),
            new Dendrite.Layers.Dense(10, activation: "softmax"),
        ]);
        model.Compile(optimizer: new Dendrite.Optimizers.Adam(learningRate: 0.001), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        model.Fit(xTrain.Reshape(-1, 28, 28, 1), yTrain, batchSize: 64, epochs: 1, validationSplit: 0.1, verbose: 0);
        float accuracy = model.EvaluateToDictionary(xTest.Reshape(-1, 28, 28, 1), yTest, verbose: 0)["accuracy"];
        Assert.Equal(32 * 9 + 32 + 4 * 32 + 14 * 14 * 32 * 10 + 10, model.CountParams());
        Assert.True(accuracy >= ReadmeCnnAccuracy, $"test accuracy {accuracy}");
    }

    private const float ReadmeCnnAccuracy = 0.70f;   // measured 0.7455 (one epoch; chance is 0.10)

    [Fact]
    public void Readme_data_snippet_runs()
    {
        var (irisX, irisY) = Dendrite.Datasets.Iris.Load();
        var yOneHot = Dendrite.Data.Utils.ToCategorical(irisY, numClasses: 3);
        var ((trX, trY), (teX, teY)) = Dendrite.Data.Utils.TrainTestSplit(irisX, Tensor.FromArray(irisY.Select(v => (float)v).ToArray()), testSize: 0.2, seed: 42, stratify: true);
        var scaled = new Dendrite.Data.StandardScaler().FitTransform(trX);
        Assert.Equal(new Shape(150, 3), yOneHot.Shape);
        Assert.Equal(120, trX.Shape[0]);
        Assert.Equal(30, teY.Shape[0]);
        Assert.Equal(10, teY.ToArray().Count(v => v == 1f));       // stratified: 10 of each species
        Assert.All(Enumerable.Range(0, 4), c => Assert.Equal(0.0, Enumerable.Range(0, 120).Average(r => scaled[r, c]), 4));
    }
}
