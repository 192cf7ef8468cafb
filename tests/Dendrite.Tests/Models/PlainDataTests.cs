using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Models;

/// <summary>Fit, Evaluate, Predict and TrainTestSplit on the arrays a .NET program holds, and Keras 3's rank adjustment.</summary>
[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public class PlainDataTests
{
    private static Sequential Linear()
    {
        Utils.SetRandomSeed(4);
        var model = new Sequential();
        model.Add(new Dense(1, activation: "linear", inputShape: [1]));
        model.Compile(optimizer: "sgd", loss: "mse");
        return model;
    }

    private static Sequential Classifier(int seed = 3)
    {
        Utils.SetRandomSeed(seed);
        var m = new Sequential([new Input(shape: [3]), new Dense(4, activation: "relu"), new Dense(1, activation: "sigmoid")]);
        m.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"]);
        return m;
    }

    private static (double[,] X, int[] Y) Blobs(int n = 40)
    {
        var x = new double[n, 3];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            for (int j = 0; j < 3; j++) x[i, j] = (y[i] == 1 ? 1.0 : -1.0) + 0.1 * Math.Sin(i * 3 + j);
        }
        return (x, y);
    }

    private static float[][] Weights(Model m) => m.GetWeights().Select(w => w.ToArray()).ToArray();

    [Fact]
    public void Seed_004_runs_as_written_with_float_arrays_and_matches_the_tensor_run()
    {
        // Seed 004: x = linspace(1, 10, 1000); y = 2x + 1; model.fit(x, y); model.predict([12, 14]).
        float[] x = Tensor.Linspace(1f, 10f, 1000).ToArray();
        float[] y = x.Select(v => 2 * v + 1).ToArray();
        var model = Linear();
        model.Fit(x, y, epochs: 20, verbose: 0);
        var p = model.Predict(new float[] { 12, 14 }, verbose: 0);
        Assert.Equal(new Shape(2, 1), p.Shape);
        Assert.Equal(25f, p[0, 0], 0.1f);
        Assert.Equal(29f, p[1, 0], 0.1f);

        var validated = Linear();   // validationData gets the same rank adjustment as x
        var hv = validated.Fit(x, y, epochs: 2, verbose: 0, validationData: (new float[] { 12, 14 }, new float[] { 25, 29 }));
        Assert.Equal(2, hv["val_loss"].Count);
        var e = Assert.Throws<ArgumentException>(() => validated.Fit(x, y, verbose: 0, validationData: (new float[2, 3], new float[2])));
        Assert.Contains("(2, 3)", e.Message);

        var reference = Linear();
        reference.Fit(Tensor.FromArray(x, 1000, 1), Tensor.FromArray(y, 1000, 1), epochs: 20, verbose: 0);
        Assert.Equal(Weights(reference), Weights(model));
        Assert.Equal(reference.Evaluate(Tensor.FromArray(x, 1000, 1), Tensor.FromArray(y, 1000, 1), verbose: 0), model.Evaluate(x, y, verbose: 0));
    }

    [Fact]
    public void Double_matrix_and_int_labels_train_exactly_like_tensors()
    {
        var (x, y) = Blobs();
        var a = Classifier();
        var ha = a.Fit(x, y, epochs: 3, batchSize: 8, verbose: 0, validationData: (x, y), sampleWeight: Enumerable.Repeat(1f, 40).ToArray());
        var xt = Tensor.FromArray(x);
        var yt = Tensor.FromArray(y);
        var b = Classifier();
        var hb = b.Fit(xt, yt, epochs: 3, batchSize: 8, verbose: 0, validationData: (xt, yt), sampleWeight: Tensor.Ones([40]));
        Assert.Equal(Weights(b), Weights(a));
        Assert.Equal(hb["val_loss"], ha["val_loss"]);
        Assert.Equal(b.Evaluate(xt, yt, verbose: 0), a.Evaluate(x, y, verbose: 0));
        Assert.Equal(b.EvaluateToDictionary(xt, yt, verbose: 0), a.EvaluateToDictionary(x, (long[])[.. y.Select(v => (long)v)], verbose: 0));
        Assert.Equal(b.Predict(xt, verbose: 0).ToArray(), a.Predict(x, verbose: 0).ToArray());
        (double[,] X, int[] Y) held = (x, y);   // a tuple variable converts too
        Assert.Single(a.Fit(x, y, initialEpoch: 3, epochs: 4, verbose: 0, validationData: held)["val_loss"]);
    }

    [Fact]
    public void Every_array_form_gives_the_same_tensor()
    {
        var (xd, _) = Blobs(6);
        var reference = Tensor.FromArray(xd).ToArray();
        var f2 = new float[6, 3];
        var jagged = new float[6][];
        var jaggedD = new double[6][];
        for (int i = 0; i < 6; i++)
        {
            jagged[i] = new float[3];
            jaggedD[i] = new double[3];
            for (int j = 0; j < 3; j++) { f2[i, j] = (float)xd[i, j]; jagged[i][j] = f2[i, j]; jaggedD[i][j] = xd[i, j]; }
        }
        foreach (ArrayLike a in new ArrayLike[] { f2, jagged, jaggedD, jagged.ToList(), Tensor.FromArray(f2) })
        {
            Assert.Equal(new Shape(6, 3), a.Tensor.Shape);
            Assert.Equal(reference, a.Tensor.ToArray());
        }
        Assert.Equal(reference, Tensor.FromArray(jagged.Where(_ => true)).ToArray());
        Assert.Equal([1f, 2f, 3f, 4f], Tensor.FromArray(new[,] { { 1, 2 }, { 3, 4 } }).ToArray());
        Assert.Equal([1f, 2f, 3f, 4f], Tensor.FromArray(new long[,] { { 1, 2 }, { 3, 4 } }).ToArray());
        Assert.Equal([0f, 255f], Tensor.FromArray(new byte[,] { { 0, 255 } }).ToArray());
        Assert.Equal(new Shape(2, 2), Tensor.FromArray(new byte[] { 1, 2, 3, 4 }, 2, 2).Shape);
        Assert.Equal([0.1f, -7f], Tensor.FromArray(new[] { 0.1, -7.0 }).ToArray());
        Assert.Equal([5f, 6f], Tensor.FromArray(new[] { 5L, 6L }).ToArray());
        Assert.Equal([5f, 6f], Tensor.FromArray(new[] { 5, 6 }).ToArray());
        Assert.Equal("double[6,3]", ((ArrayLike)xd).Description);
        Assert.Equal("float[6][3]", ((ArrayLike)jagged).Description);
        Assert.Equal("int[2]", ((ArrayLike)new[] { 5, 6 }).Description);
        Assert.Throws<ArgumentException>(() => Tensor.FromArray(new[] { 1.0, 2.0, 3.0 }, 2, 2));
        Assert.Throws<ArgumentException>(() => Tensor.FromArray(new List<float[]> { new float[2], new float[3] }));
    }

    [Fact]
    public void Errors_name_what_was_given_and_the_whole_shape()
    {
        var m = Classifier();
        var e = Assert.Throws<ArgumentException>(() => m.Fit(new double[1000, 69], new int[1000], verbose: 0));
        Assert.Contains("double[1000,69]", e.Message);
        Assert.Contains("(1000, 69)", e.Message);
        Assert.Contains("(None, 3)", e.Message);
        var rows = Assert.Throws<ArgumentException>(() => m.Fit(new double[10, 3], new int[9], verbose: 0));
        Assert.Contains("int[9]", rows.Message);
        var predict = Assert.Throws<ArgumentException>(() => m.Predict(new float[7], verbose: 0));
        Assert.Contains("(7,)", predict.Message);
        Assert.Contains("float[7]", predict.Message);

        // A Sequential with no input shape cannot tell what a 1-D x means: say so, with the shape and the fix.
        var open = new Sequential([new Dense(1)]);
        open.Compile(optimizer: "sgd", loss: "mse");
        var noInput = Assert.Throws<ArgumentException>(() => open.Fit(new float[1000], new float[1000], verbose: 0));
        Assert.Contains("(1000,)", noInput.Message);
        Assert.Contains("inputShape", noInput.Message);
    }

    [Fact]
    public void A_trailing_axis_of_one_is_dropped_as_in_Keras_3()
    {
        var m = Classifier();
        var x = Tensor.RandomUniform([5, 3], seed: 1);
        var expected = m.Predict(x, verbose: 0).ToArray();
        Assert.Equal(expected, m.Predict(x.Reshape(5, 3, 1), verbose: 0).ToArray());
    }

    [Fact]
    public void TrainTestSplit_takes_arrays()
    {
        var (x, y) = Blobs(20);
        var ((trX, trY), (teX, teY)) = Utils.TrainTestSplit(x, y, testSize: 0.25, seed: 42, stratify: true);
        var ((rtrX, _), (rteX, rteY)) = Utils.TrainTestSplit(Tensor.FromArray(x), Tensor.FromArray(y), testSize: 0.25, seed: 42, stratify: true);
        Assert.Equal(new Shape(14, 3), trX.Shape);   // 3 of each class of 10 (2.5 rounds away from zero)
        Assert.Equal(new Shape(6), teY.Shape);
        Assert.Equal(rtrX.ToArray(), trX.ToArray());
        Assert.Equal(rteX.ToArray(), teX.ToArray());
        Assert.Equal(rteY.ToArray(), teY.ToArray());
        Assert.Equal(14, trY.Size);
        var e = Assert.Throws<ArgumentException>(() => Utils.TrainTestSplit(x, new int[19]));
        Assert.Contains("int[19]", e.Message);
    }

    [Fact]
    public void The_README_iris_split_takes_int_labels_as_they_are()
    {
        var (irisX, irisY) = Dendrite.Datasets.Iris.Load();
        var ((trX, trY), (teX, teY)) = Utils.TrainTestSplit(irisX, irisY, testSize: 0.2, seed: 42, stratify: true);
        Assert.Equal(120, trX.Shape[0]);
        Assert.Equal(30, teX.Shape[0]);
        Assert.Equal(Enumerable.Repeat(10, 3), teY.ToInt32Array().GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(120, trY.Size);
    }
}
