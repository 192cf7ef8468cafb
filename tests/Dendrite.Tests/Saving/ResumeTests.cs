using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Saving.Hdf5;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Saving;

/// <summary>
/// Keras's resume workflow: <c>Fit</c> for 2 epochs, save a .keras file, load it in a fresh model and <c>Fit</c> the
/// third epoch (<c>initialEpoch: 2</c>); the weights equal those of 3 uninterrupted epochs, so the optimizer's state
/// (iterations, moments, momentums, average gradients) survived the file.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-resume-").FullName;

    public ResumeTests() => Hdf5Saving.Enable();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Optimizer MakeOptimizer(string name) => name switch
    {
        "adam" => new Adam(learningRate: 0.01),
        "sgd" => new SGD(learningRate: 0.05, momentum: 0.9),
        _ => new RMSprop(learningRate: 0.01, momentum: 0.5, centered: true),
    };

    private static Model Make(string kind, string optimizer)
    {
        Layer[] layers = kind switch
        {
            "cnn" => [new Input(shape: [6, 6, 1]), new Conv2D(3, 3, padding: "same", activation: "relu"), new BatchNormalization(),
                new MaxPooling2D(), new Flatten(), new Dense(3, activation: "softmax")],
            "rnn" => [new Input(shape: [5, 2]), new LSTM(4, returnSequences: true), new GRU(3), new Dense(3, activation: "softmax")],
            _ => [new Input(shape: [4]), new Dense(6, activation: "relu"), new Dense(3, activation: "softmax")],
        };
        var m = new Sequential(layers);
        m.Compile(MakeOptimizer(optimizer), "categorical_crossentropy", ["accuracy"]);
        return m;
    }

    private static Tensor Features(string kind) => kind switch
    {
        "cnn" => Tensor.RandomNormal([12, 6, 6, 1], seed: 5),
        "rnn" => Tensor.RandomNormal([12, 5, 2], seed: 5),
        _ => Tensor.RandomNormal([12, 4], seed: 5),
    };

    public static TheoryData<string, string> Runs => new()
    {
        { "mlp", "adam" }, { "mlp", "sgd" }, { "mlp", "rmsprop" }, { "cnn", "adam" }, { "cnn", "sgd" }, { "rnn", "adam" }, { "rnn", "rmsprop" },
    };

    [Theory, MemberData(nameof(Runs))]
    public void Three_epochs_with_a_save_and_load_after_two_equal_three_uninterrupted_epochs(string kind, string optimizer)
    {
        var x = Features(kind);
        var y = Dendrite.Data.Utils.ToCategorical([0, 1, 2, 0, 1, 2, 0, 1, 2, 2, 1, 0], numClasses: 3);

        var uninterrupted = Make(kind, optimizer);
        var initial = uninterrupted.GetWeights();
        uninterrupted.Fit(x, y, batchSize: 4, epochs: 3, verbose: 0, shuffle: false);

        var first = Make(kind, optimizer);
        first.SetWeights(initial);
        first.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, shuffle: false);
        string path = Path.Combine(_dir, "run.keras");
        first.Save(path);
        var resumed = Model.Load(path);
        Assert.Equal(6, resumed.Optimizer!.Iterations);
        resumed.Fit(x, y, batchSize: 4, epochs: 3, verbose: 0, shuffle: false, initialEpoch: 2);

        Assert.Equal(9, resumed.Optimizer.Iterations);
        Assert.Equal(uninterrupted.Weights.Count, resumed.Weights.Count);
        for (int i = 0; i < uninterrupted.Weights.Count; i++)
            TensorAssert.Close(uninterrupted.Weights[i].ToArray(), resumed.Weights[i], atol: 1e-5f, rtol: 0, what: $"{kind}/{optimizer}: weight {i}");
        // Without the optimizer's state the third epoch differs: the comparison above can fail.
        var fresh = Make(kind, optimizer);
        fresh.SetWeights(first.GetWeights());
        fresh.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0, shuffle: false);
        float differs = fresh.Weights.Zip(uninterrupted.Weights).Max(p => p.First.ToArray().Zip(p.Second.ToArray()).Max(v => MathF.Abs(v.First - v.Second)));
        Assert.True(differs > 1e-4f, $"{kind}/{optimizer}: a fresh optimizer's third epoch differs by only {differs}");
    }
}
