// Seed 000: a Sequential MLP over several layer sizes and activations on a two-class problem (two interleaving moons),
// thresholding Predict at 0.5 and reporting accuracy, precision, recall and F1.
using Dendrite;
using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Metrics;
using Dendrite.Models;
using Dendrite.Optimizers;

var (x, y) = Moons(600, noise: 0.2, seed: 0);
var ((xTrain, yTrain), (xTest, yTest)) = Utils.TrainTestSplit(x, y, testSize: 0.25, seed: 0, stratify: true);
int[] truth = yTest.ToArray().Select(v => (int)v).ToArray();

Console.WriteLine($"{"hidden",-8} {"activation",-10} {"accuracy",9} {"precision",9} {"recall",9} {"f1",9}");
foreach (int hidden in new[] { 2, 8, 32 })
    foreach (var activation in new[] { "sigmoid", "tanh", "relu" })
    {
        Utils.SetRandomSeed(0);
        var model = new Sequential([
            new Input(shape: [2]),
            new Dense(hidden, activation: activation),
            new Dense(hidden, activation: activation),
            new Dense(1, activation: "sigmoid"),
        ]);
        model.Compile(optimizer: new Adam(learningRate: 0.01), loss: "binary_crossentropy", metrics: ["accuracy"]);
        model.Fit(xTrain, yTrain, batchSize: 32, epochs: 60, verbose: 0);
        int[] predicted = Scores.Labels(model.Predict(xTest, verbose: 0), threshold: 0.5);
        Console.WriteLine($"{hidden,-8} {activation,-10} {Scores.AccuracyScore(truth, predicted),9:F4} {Scores.PrecisionScore(truth, predicted),9:F4} " +
                          $"{Scores.RecallScore(truth, predicted),9:F4} {Scores.F1Score(truth, predicted),9:F4}");
    }

// scikit-learn's make_moons: two interleaving half circles with Gaussian noise.
static (Tensor X, Tensor Y) Moons(int n, double noise, int seed)
{
    var rng = new RandomGenerator(seed);
    var x = new float[n * 2];
    var y = new float[n];
    for (int i = 0; i < n; i++)
    {
        bool upper = i < n / 2;
        double t = Math.PI * (upper ? i : i - n / 2) / (n / 2 - 1);
        double px = upper ? Math.Cos(t) : 1 - Math.Cos(t), py = upper ? Math.Sin(t) : 0.5 - Math.Sin(t);
        x[2 * i] = (float)(px + noise * rng.NextNormal());
        x[2 * i + 1] = (float)(py + noise * rng.NextNormal());
        y[i] = upper ? 0f : 1f;
    }
    return (Tensor.FromArray(x, n, 2), Tensor.FromArray(y, n, 1));
}
