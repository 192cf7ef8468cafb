// Seed 004's tabular task: does a person earn more than $50K a year? (UCI Adult, binary classification)
using Dendrite;
using Dendrite.Data;
using Dendrite.Datasets;
using Dendrite.Layers;
using Dendrite.Metrics;
using Dendrite.Models;
using Dendrite.Optimizers;

((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) data;
try
{
    data = Adult.LoadData();
}
catch (Exception e) when (e is IOException or InvalidDataException)
{
    // Offline or a damaged cache: say what to fetch and where to put it, and fail (exit code 1), as MnistMlp --full does.
    Console.Error.WriteLine("The UCI Adult data is not in the cache and could not be downloaded:");
    Console.Error.WriteLine("  " + e.Message);
    Console.Error.WriteLine($"Place adult.data and adult.test from {Adult.BaseUrlForUsers} in {Path.Combine(DatasetCache.Directory, "adult")} and run again.");
    return 1;
}
var ((xTrain, yTrain), (xTest, yTest)) = data;
Console.WriteLine($"UCI Adult: {xTrain.Shape[0]} training and {xTest.Shape[0]} test people, {xTrain.Shape[1]} features after one-hot encoding");

var scaler = new StandardScaler().Fit(xTrain);
xTrain = scaler.Transform(xTrain);
xTest = scaler.Transform(xTest);

Utils.SetRandomSeed(4);
var model = new Sequential([
    new Input(shape: [xTrain.Shape[1]]),
    new Dense(64, activation: "relu"),
    new Dropout(0.2),
    new Dense(32, activation: "relu"),
    new Dense(1, activation: "sigmoid"),
]);
model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "binary_crossentropy", metrics: ["accuracy", new Precision(), new Recall()]);
model.Fit(xTrain, yTrain, batchSize: 64, epochs: 10, validationSplit: 0.1);
var scores = model.EvaluateToDictionary(xTest, yTest, verbose: 0);
Console.WriteLine(string.Join(", ", scores.Select(kv => $"test {kv.Key}: {kv.Value:F4}")));
return 0;
