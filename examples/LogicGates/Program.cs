// From the neuron up: threshold logic units compute gates; a perceptron learns AND and OR but not XOR; an MLP learns XOR.
using Dendrite;
using Dendrite.Data;
using Dendrite.Classic;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;

var inputs = new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
var x = Tensor.FromArray(inputs);

Console.WriteLine("Threshold logic units (Heaviside step):");
Console.WriteLine($"  identity: 0 -> {ThresholdLogicUnit.Identity().Predict(0f)}, 1 -> {ThresholdLogicUnit.Identity().Predict(1f)}");
foreach (var (name, tlu) in new[] { ("AND", ThresholdLogicUnit.And()), ("OR", ThresholdLogicUnit.Or()), ("A AND NOT B", ThresholdLogicUnit.AAndNotB()) })
    Console.WriteLine($"  {name,-12} {string.Join(" ", tlu.Predict(x))}   (inputs 00 01 10 11)");

Console.WriteLine("Perceptron learning rule:");
foreach (var (name, y) in new[] { ("AND", new[] { 0, 0, 0, 1 }), ("OR", new[] { 0, 1, 1, 1 }), ("XOR", new[] { 0, 1, 1, 0 }) })
{
    var p = new Perceptron(randomState: 0).Fit(inputs, y);
    double acc = p.Score(inputs, y);
    Console.WriteLine($"  {name,-4} predictions {string.Join(" ", p.Predict(inputs))}, accuracy {acc:F2} -> {(acc == 1.0 ? "learned" : "not linearly separable")}");
}

Console.WriteLine("An MLP solves XOR:");
Utils.SetRandomSeed(1);
var mlp = new Sequential([new Input(shape: [2]), new Dense(8, activation: "tanh"), new Dense(1, activation: "sigmoid")]);
mlp.Compile(optimizer: new Adam(learningRate: 0.05), loss: "binary_crossentropy", metrics: ["accuracy"]);
var history = mlp.Fit(x, Tensor.FromArray(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } }), batchSize: 4, epochs: 300, verbose: 0);
var probs = mlp.Predict(x, verbose: 0).ToArray();
Console.WriteLine($"  XOR  predictions {string.Join(" ", probs.Select(v => v > 0.5f ? 1 : 0))}, accuracy {history["accuracy"][^1]:F2}");
