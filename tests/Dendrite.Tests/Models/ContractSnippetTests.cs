using Dendrite.Data;
using Dendrite;             // Tensor, Shape
using Dendrite.Layers;      // Input, Dense, Flatten, Dropout, Activation, Reshape, Add, Concatenate, ...
using Dendrite.Models;      // Sequential, Model, History
using Dendrite.Optimizers;  // SGD, Adam, AdamW, RMSprop, Adagrad
using Dendrite.Losses;      // MeanSquaredError, BinaryCrossentropy, CategoricalCrossentropy, ...

namespace Dendrite.Tests.Models;

/// <summary>The public contract of the Keras API issue, compiled unchanged, with checks of what each line promises.</summary>
[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public class ContractSnippetTests
{
    [Fact]
    public void Sequential_list_form_seed_000()
    {
        var x = Tensor.FromArray(new float[,] { { 0, 0, 1 }, { 0, 1, 1 }, { 1, 0, 1 }, { 1, 1, 1 }, { 0.5f, 0.5f, 0 } });
        var y = Tensor.FromArray(new float[,] { { 0 }, { 1 }, { 1 }, { 0 }, { 1 } });
        var weights = new List<Tensor>
        {
            Tensor.RandomUniform([3, 4], -1f, 1f, seed: 1), Tensor.Zeros([4]),
            Tensor.RandomUniform([4, 4], -1f, 1f, seed: 2), Tensor.Zeros([4]),
            Tensor.RandomUniform([4, 1], -1f, 1f, seed: 3), Tensor.Zeros([1]),
        };

        var model = new Sequential([
            new Input(shape: [3]),
            new Dense(4, activation: "relu"),
            new Dense(4, activation: "tanh"),
            new Dense(1, activation: "sigmoid"),
        ]);
        model.Compile(optimizer: new SGD(learningRate: 0.1), loss: "binary_crossentropy", metrics: ["accuracy"]);
        model.SetWeights(weights);            // IReadOnlyList<Tensor>, Keras order: per layer kernel (in, out) then bias
        Tensor p = model.Predict(x);          // probabilities, shape (n, 1)
        History h = model.Fit(x, y, batchSize: 5, epochs: 1, shuffle: false, verbose: 0);
        IReadOnlyList<Tensor> w = model.GetWeights();
        int n = model.CountParams();          // 41 for this network
        string text = model.Summary();        // prints the Keras table to Console.Out and returns it

        Assert.Equal(new Shape(5, 1), p.Shape);
        Assert.All(p.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(41, n);
        Assert.Equal(6, w.Count);
        Assert.Equal(new Shape(3, 4), w[0].Shape);
        Assert.Single(h["loss"]);
        Assert.Single(h["accuracy"]);
        Assert.NotEqual(weights[0].ToArray(), w[0].ToArray()); // one SGD step changed the weights
        Assert.Contains(" Trainable params: 41 (164.00 B)", text);
        Assert.Contains(" Optimizer params: 2 (8.00 B)", text);   // Keras counts iterations and learning rate
        Assert.Contains(" Total params: 43 (172.00 B)", text);
    }

    [Fact]
    public void Sequential_add_form_learns_y_equals_2x_plus_1_seed_004()
    {
        Utils.SetRandomSeed(4);
        var xs = Tensor.Linspace(1f, 10f, 1000).Reshape(-1, 1);
        var ys = xs * 2f + 1f;

        var reg = new Sequential();
        reg.Add(new Dense(1, activation: "linear", inputShape: [1]));
        reg.Compile(optimizer: "sgd", loss: "mse");
        var history = reg.Fit(xs, ys, epochs: 20);          // batch 32 by default, Keras progress bar on the console
        var w2 = reg.GetWeights();            // ~[[2]], ~[1] for y = 2x + 1

        Assert.InRange(w2[0][0, 0], 1.95f, 2.05f);
        Assert.InRange(w2[1][0], 0.85f, 1.15f);
        Assert.True(history["loss"][^1] < 0.01f, $"final loss {history["loss"][^1]}");
        Assert.Equal(20, history.Epoch.Count);
    }

    [Fact]
    public void Functional_cifar_mlp_seed_001()
    {
        Utils.SetRandomSeed(1);
        var xTrain = Tensor.RandomUniform([200, 32, 32, 3], seed: 10);
        var yTrain = Ops.OneHot(Enumerable.Range(0, 200).Select(i => i % 10).ToArray(), 10);
        var xTest = Tensor.RandomUniform([50, 32, 32, 3], seed: 11);
        var yTest = Ops.OneHot(Enumerable.Range(0, 50).Select(i => i % 10).ToArray(), 10);

        var inputs = new Input(shape: [32, 32, 3]);
        var hdn = new Flatten().Call(inputs);
        hdn = new Dense(200, activation: "relu").Call(hdn);
        hdn = new Dense(150, activation: "relu").Call(hdn);
        var outputs = new Dense(10, activation: "softmax").Call(hdn);
        var cifar = new Model(inputs, outputs);
        var summary = cifar.Summary();                      // Total params: 646,260 (2.47 MB)
        cifar.Compile(optimizer: new Adam(learningRate: 0.0005), loss: "categorical_crossentropy", metrics: ["accuracy"]);
        var h = cifar.Fit(xTrain, yTrain, batchSize: 32, epochs: 10, shuffle: true, validationSplit: 0.1);
        float[] scores = cifar.Evaluate(xTest, yTest);   // [loss, accuracy]; and EvaluateToDictionary for names

        Assert.Contains(" Total params: 646,260 (2.47 MB)", summary);
        Assert.Contains("│ input_layer", summary);
        Assert.Contains("│ flatten", summary);
        Assert.Contains("(None, 3072)", summary);
        Assert.Equal(2, scores.Length);
        Assert.InRange(scores[1], 0f, 1f);
        Assert.Equal(new[] { "accuracy", "loss", "val_accuracy", "val_loss" }, h.Keys.Order().ToArray());
        // 180 random images with 10 labels: the MLP memorises them, so training loss must fall a lot.
        Assert.True(h["loss"][^1] < 0.5f * h["loss"][0], $"loss went {h["loss"][0]} -> {h["loss"][^1]}");
        var d = cifar.EvaluateToDictionary(xTest, yTest, verbose: 0);
        Assert.Equal(scores[0], d["loss"], 5);
    }
}
