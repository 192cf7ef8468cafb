using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Regularizers;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Optimizers;

/// <summary>
/// Plain SGD applied inside Dense's weight-gradient product (<c>Tensor.FusedSgdRate</c>) trains exactly as the separate
/// update does, is taken only where it is safe (a kernel with one reader, no momentum, decay or clipping), and leaves
/// the packed weights of prediction current.
/// </summary>
[Collection(GlobalSeedCollection.Name)]   // two runs from RandomState.SetSeed(7) compared: no other test may draw in between
public class FusedSgdTests
{
    private static (Tensor X, Tensor Y) Data(int n = 70) =>
        (Tensor.RandomUniform([n, 6], -1f, 1f, seed: 3), Tensor.RandomUniform([n, 3], -1f, 1f, seed: 4));

    private static Model Chain(Optimizer optimizer, Regularizer? regularizer = null)
    {
        RandomState.SetSeed(7);
        var model = new Sequential([new Input(shape: [6]), new Dense(16, activation: "relu", kernelRegularizer: regularizer), new Dense(8, activation: "tanh"), new Dense(3)]);
        model.Compile(optimizer: optimizer, loss: "mse");
        return model;
    }

    /// <summary>One Dense layer called twice (its kernel has two readers) next to one called once.</summary>
    private static Model Shared(Optimizer optimizer)
    {
        RandomState.SetSeed(7);
        var input = new Input(shape: [6]);
        var once = new Dense(6, activation: "relu");
        var twice = new Dense(6, activation: "relu");
        var h = twice.Call(once.Call(input));
        var output = new Dense(3).Call(twice.Call(h));
        var model = new Model(input, output);
        model.Compile(optimizer: optimizer, loss: "mse");
        return model;
    }

    private static IReadOnlyList<Tensor> Train(Func<Model> make, bool fused, int epochs = 3, int batch = 16)
    {
        SGD.FusedUpdatesDisabled = !fused;
        try
        {
            var model = make();
            var (x, y) = Data();
            model.Fit(x, y, batchSize: batch, epochs: epochs, verbose: 0, shuffle: false);   // 70 rows: a last partial batch of 6
            return model.GetWeights();
        }
        finally { SGD.FusedUpdatesDisabled = false; }
    }

    public static TheoryData<string> Cases() => new() { "plain", "schedule", "shared layer", "regularizer", "momentum", "clipnorm", "weight decay" };

    private static Func<Model> Make(string name) => name switch
    {
        "plain" => () => Chain(new SGD(learningRate: 0.05)),
        "schedule" => () => Chain(new SGD(learningRate: new ExponentialDecay(0.1, decaySteps: 2, decayRate: 0.5))),
        "shared layer" => () => Shared(new SGD(learningRate: 0.05)),
        "regularizer" => () => Chain(new SGD(learningRate: 0.05), new L2(0.01)),
        "momentum" => () => Chain(new SGD(learningRate: 0.05, momentum: 0.9)),
        "clipnorm" => () => Chain(new SGD(learningRate: 0.05, clipnorm: 0.1)),
        _ => () => Chain(new SGD(learningRate: 0.05, weightDecay: 0.01)),
    };

    [Theory, MemberData(nameof(Cases))]
    public void Training_matches_the_separate_update(string name)
    {
        var separate = Train(Make(name), fused: false);
        var fused = Train(Make(name), fused: true);
        Assert.Equal(separate.Count, fused.Count);
        for (int i = 0; i < separate.Count; i++)
            TensorAssert.Close(separate[i], fused[i], atol: 2e-6f, rtol: 1e-5f, what: $"{name}: weight {i}");
        // And training moved the weights (a test of nothing would pass above too).
        var start = Make(name)().GetWeights();
        Assert.Contains(start.Zip(fused), p => p.First.ToArray().Zip(p.Second.ToArray()).Any(v => MathF.Abs(v.First - v.Second) > 1e-3f));
    }

    [Fact]
    public void Only_single_reader_kernels_of_plain_sgd_skip_their_gradient_buffer()
    {
        var (x, y) = Data();
        var plain = Chain(new SGD(learningRate: 0.05));
        plain.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0);
        var kernels = plain.Layers.OfType<Dense>().Select(d => d.Kernel).ToList();
        Assert.All(kernels, k => Assert.Null(k.Grad));                              // updated inside the product
        Assert.All(plain.Layers.OfType<Dense>(), d => Assert.NotNull(d.Bias!.Grad));   // biases: the separate update

        var shared = Shared(new SGD(learningRate: 0.05));
        shared.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0);
        var dense = shared.Layers.OfType<Dense>().ToList();
        Assert.Null(dense[0].Kernel.Grad);      // called once
        Assert.NotNull(dense[1].Kernel.Grad);   // called twice: its gradient is accumulated and applied after the pass

        var momentum = Chain(new SGD(learningRate: 0.05, momentum: 0.9));
        momentum.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0);
        Assert.All(momentum.Layers.OfType<Dense>(), d => Assert.NotNull(d.Kernel.Grad));
    }

    [Fact]
    public void Prediction_after_fused_training_uses_the_new_weights()
    {
        var (x, y) = Data();
        var model = Chain(new SGD(learningRate: 0.05));
        var before = model.Predict(x, verbose: 0);   // packs the kernels for prediction
        model.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0);
        var after = model.Predict(x, verbose: 0);
        var copy = Chain(new SGD(learningRate: 0.05));
        copy.SetWeights(model.GetWeights());
        TensorAssert.Close(copy.Predict(x, verbose: 0), after, atol: 1e-6f, rtol: 1e-6f, what: "prediction after training");
        Assert.Contains(before.ToArray().Zip(after.ToArray()), v => MathF.Abs(v.First - v.Second) > 1e-3f);
    }
}
