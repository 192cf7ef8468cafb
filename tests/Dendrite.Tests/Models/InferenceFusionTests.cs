using Dendrite.Initializers;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Models;

/// <summary>
/// Prediction fuses [Conv/Dense (linear), BatchNormalization, elementwise activation] runs (normalization folded into
/// the kernel and bias, the activation in the bias pass); the outputs equal those of the layers run one by one, after
/// training has moved the moving statistics and after the weights are set by hand; runs that do not fit are left alone.
/// </summary>
public class InferenceFusionTests
{
    private static Sequential Cnn() => new([
        new Input(shape: [9, 9, 3]),
        new Conv2D(filters: 16, kernelSize: 3, padding: "same", kernelInitializer: new GlorotUniform(1)), new BatchNormalization(), new LeakyReLU(),
        new Conv2D(filters: 32, kernelSize: 3, strides: 2, padding: "same", kernelInitializer: new GlorotUniform(2)), new BatchNormalization(), new ReLU(),
        new Conv2D(filters: 8, kernelSize: 1, useBias: false, kernelInitializer: new GlorotUniform(3)), new BatchNormalization(center: false), new Activation("elu"),
        new Conv2D(filters: 8, kernelSize: 3, activation: "relu", kernelInitializer: new GlorotUniform(4)), new BatchNormalization(), new LeakyReLU(0.1f),
        new Flatten(),
        new Dense(12, kernelInitializer: new GlorotUniform(5)), new BatchNormalization(scale: false), new LeakyReLU(0.2f), new Dropout(0.5),
        new Dense(3, activation: "softmax", kernelInitializer: new GlorotUniform(6)),
    ]);

    private static (Tensor Fused, Tensor Plain, int Runs) PredictBothWays(Model model, Tensor x)
    {
        model.InferenceLanesEnabled = false;   // one piece, on this thread (the switch and the counter are per thread)
        GraphPlan.FusedRuns = 0;
        var fused = model.Predict(x, batchSize: 16, verbose: 0);
        int runs = GraphPlan.FusedRuns;
        GraphPlan.FusionDisabled = true;
        try { return (fused, model.Predict(x, batchSize: 16, verbose: 0), runs); }
        finally { GraphPlan.FusionDisabled = false; }
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
            Assert.True(MathF.Abs(e[i] - a[i]) <= 1e-5f + 1e-5f * MathF.Abs(e[i]), $"element {i}: {e[i]} layer by layer, {a[i]} fused");
    }

    [Fact]
    public void Fused_prediction_equals_the_layers_one_by_one_after_training_and_after_SetWeights()
    {
        var model = Cnn();
        model.Compile(optimizer: "adam", loss: "categorical_crossentropy");
        var x = Tensor.RandomUniform([40, 9, 9, 3], seed: 7);
        var y = Ops.OneHot(Enumerable.Range(0, 40).Select(i => i % 3).ToArray(), 3);
        model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0);
        var (fused, plain, runs) = PredictBothWays(model, x);
        // Three convolution runs and the Dense run fuse in each of 3 batches; the convolution with a relu does not.
        Assert.Equal(4 * 3, runs);
        AssertClose(plain, fused);
        var norm = model.Layers.OfType<BatchNormalization>().First();
        Assert.NotEqual(0f, norm.MovingMean.ToArray()[0]);   // the moving statistics moved away from (0, 1)

        // New weights and moving statistics by hand: the next prediction folds them.
        var weights = norm.GetWeights();
        norm.SetWeights([.. weights.Select((w, i) => Tensor.RandomUniform(w.Shape, 0.5f, 2f, seed: 20 + i))]);
        var (fused2, plain2, _) = PredictBothWays(model, x);
        AssertClose(plain2, fused2);
        Assert.NotEqual(fused.ToArray()[0], fused2.ToArray()[0]);
    }

    [Fact]
    public void A_normalized_output_used_elsewhere_is_not_fused()
    {
        var input = new Input(shape: [6, 6, 2]);
        var conv = new Conv2D(filters: 16, kernelSize: 3, kernelInitializer: new GlorotUniform(8)).Call(input);
        var norm = new BatchNormalization().Call(conv);
        var act = new LeakyReLU().Call(norm);
        var model = new Model(input, new Concatenate().Call(new Flatten().Call(act), new Flatten().Call(norm)));
        var x = Tensor.RandomUniform([4, 6, 6, 2], seed: 9);
        var (fused, plain, runs) = PredictBothWays(model, x);
        Assert.Equal(0, runs);
        AssertClose(plain, fused);
    }
}
