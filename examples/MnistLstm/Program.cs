// MNIST digits read as sequences: each image is 28 time steps of 28 pixels (one row per step), LSTM(128) -> Dense 10.
//   dotnet run -c Release --project examples/MnistLstm     10,000 digits embedded in the library (no network)
using Dendrite;
using Dendrite.Data;
using Dendrite.Datasets;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;

Utils.SetRandomSeed(42);
var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadEmbedded(testFraction: 0.2, seed: 42);
Console.WriteLine($"MNIST (embedded subset) as sequences: {xTrain.Shape[0]} training and {xTest.Shape[0]} test digits, " +
    $"{xTrain.Shape[1]} steps of {xTrain.Shape[2]} pixels");

var model = new Sequential([
    new Input(shape: [28, 28]),
    new LSTM(units: 128),
    new Dense(10, activation: "softmax"),
]);
model.Summary();
model.Compile(optimizer: new Adam(learningRate: 0.002), loss: "categorical_crossentropy", metrics: ["accuracy"]);
model.Fit(xTrain, Utils.ToCategorical(yTrain, 10), batchSize: 64, epochs: 8, validationSplit: 0.1, verbose: 2);

var scores = model.EvaluateToDictionary(xTest, Utils.ToCategorical(yTest, 10), verbose: 0);
Console.WriteLine($"test loss: {scores["loss"]:F4}");
Console.WriteLine($"test accuracy: {scores["accuracy"]:F4}");
