// XOR: the problem a single perceptron cannot solve and a small MLP can.
using Dendrite;
using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;

Utils.SetRandomSeed(1);
var x = Tensor.FromArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
var y = Tensor.FromArray(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } });

var model = new Sequential([
    new Input(shape: [2]),
    new Dense(8, activation: "tanh"),
    new Dense(1, activation: "sigmoid"),
]);
model.Summary();
model.Compile(optimizer: new Adam(learningRate: 0.05), loss: "binary_crossentropy", metrics: ["accuracy"]);
var history = model.Fit(x, y, batchSize: 4, epochs: 300, verbose: 0);
Console.WriteLine($"after {history.Epoch.Count} epochs: loss {history["loss"][^1]:F4}, accuracy {history["accuracy"][^1]:F4}");

var p = model.Predict(x, verbose: 0);
int correct = 0;
for (int i = 0; i < 4; i++)
{
    int predicted = p[i, 0] > 0.5f ? 1 : 0, expected = (int)y[i, 0];
    correct += predicted == expected ? 1 : 0;
    Console.WriteLine($"{x[i, 0]} XOR {x[i, 1]} -> {p[i, 0]:F4} -> {predicted} (expected {expected})");
}
Console.WriteLine($"{correct}/4 correct");
return correct == 4 ? 0 : 1;
