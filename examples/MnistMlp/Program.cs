// The README's main job: the seeds' MLP on real MNIST digits.
//   dotnet run -c Release --project examples/MnistMlp            10,000 digits embedded in the library (no network)
//   dotnet run -c Release --project examples/MnistMlp -- --full  Keras's full mnist.npz (downloaded once into ~/.keras/datasets)
using Dendrite;
using Dendrite.Data;
using Dendrite.Datasets;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Plotting;

// Multicore JIT: from the second run on, the runtime compiles the training step's methods on another core while the
// data loads (see Dendrite.JitProfile); without effect under Native AOT.
JitProfile.Start("mnist-mlp");
bool full = args.Contains("--full");
Utils.SetRandomSeed(42);
((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) data;
try
{
    data = full ? Scale(Mnist.LoadData()) : Mnist.LoadEmbedded(testFraction: 0.2, seed: 42);
}
catch (Exception e) when (e is IOException or InvalidDataException)
{
    // Offline or a damaged cache: the message names the URL, the exact path to place the file at and its checksum.
    Console.Error.WriteLine("Keras's full mnist.npz is not in the cache and could not be fetched:");
    Console.Error.WriteLine("  " + e.Message);
    Console.Error.WriteLine("Without --full, this example trains on the digits embedded in the library (no network).");
    return 1;
}
var ((xTrain, yTrain), (xTest, yTest)) = data;
Console.WriteLine($"{(full ? "MNIST (full)" : "MNIST (embedded subset)")}: {xTrain.Shape[0]} training and {xTest.Shape[0]} test digits of {xTrain.Shape[1]}x{xTrain.Shape[2]} pixels");
Plots.PlotImages(Ops.Slice(xTrain, 0, 0, 10), Ops.Slice(yTrain, 0, 0, 10).ToArray().Select(v => (int)v).ToArray(), "samples.png");
Console.WriteLine($"wrote the first 10 training digits to {Path.GetFullPath("samples.png")}");
var yTrainOneHot = Utils.ToCategorical(yTrain, 10);
var yTestOneHot = Utils.ToCategorical(yTest, 10);

var inputs = new Input(shape: [28, 28]);
var h = new Flatten().Call(inputs);
h = new Dense(200, activation: "relu").Call(h);
h = new Dense(150, activation: "relu").Call(h);
var outputs = new Dense(10, activation: "softmax").Call(h);
var model = new Model(inputs, outputs);
model.Summary();
model.Compile(optimizer: new Adam(learningRate: 0.0005), loss: "categorical_crossentropy", metrics: ["accuracy"]);
var history = model.Fit(xTrain, yTrainOneHot, batchSize: 32, epochs: 10, validationSplit: 0.1);
Plots.PlotHistory(history, "history.png");
Console.WriteLine($"wrote the loss and accuracy curves to {Path.GetFullPath("history.png")}");

var scores = model.EvaluateToDictionary(xTest, yTestOneHot, verbose: 0);
Console.WriteLine($"test loss: {scores["loss"]:F4}");
Console.WriteLine($"test accuracy: {scores["accuracy"]:F4}");
return 0;

static ((Tensor, Tensor), (Tensor, Tensor)) Scale(((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) d) =>
    ((Ops.Mul(d.Train.X, 1f / 255f), d.Train.Y), (Ops.Mul(d.Test.X, 1f / 255f), d.Test.Y));
