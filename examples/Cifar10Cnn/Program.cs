// Seed 001's book's CNN (Foster, Generative Deep Learning, 2nd ed., ch. 2) on CIFAR-10, layer for layer as in Keras.
//   dotnet run -c Release --project examples/Cifar10Cnn                 CIFAR-10 (downloaded once into ~/.keras/datasets)
//   options: --epochs N (default 10, as the book), --samples N (train on the first N training images only)
using Dendrite;
using Dendrite.Data;
using Dendrite.Datasets;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Plotting;

int epochs = Option("--epochs") ?? 10;
int? samples = Option("--samples");
Utils.SetRandomSeed(42);
// The book's model, built first so that its summary shows even without the data (Total params: 592,554).
var inputs = new Input(shape: [32, 32, 3]);
var x = new Conv2D(filters: 32, kernelSize: 3, strides: 1, padding: "same").Call(inputs);
x = new BatchNormalization().Call(x);
x = new LeakyReLU().Call(x);
x = new Conv2D(filters: 32, kernelSize: 3, strides: 2, padding: "same").Call(x);
x = new BatchNormalization().Call(x);
x = new LeakyReLU().Call(x);
x = new Conv2D(filters: 64, kernelSize: 3, strides: 1, padding: "same").Call(x);
x = new BatchNormalization().Call(x);
x = new LeakyReLU().Call(x);
x = new Conv2D(filters: 64, kernelSize: 3, strides: 2, padding: "same").Call(x);
x = new BatchNormalization().Call(x);
x = new LeakyReLU().Call(x);
x = new Flatten().Call(x);
x = new Dense(128).Call(x);
x = new BatchNormalization().Call(x);
x = new LeakyReLU().Call(x);
x = new Dropout(rate: 0.5).Call(x);
var outputs = new Dense(10, activation: "softmax").Call(x);
var model = new Model(inputs, outputs);
model.Summary();

((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) data;
try
{
    data = Cifar10.LoadData();
}
catch (Exception e) when (e is IOException or InvalidDataException)
{
    // Offline or a damaged cache: the message names the URL, the exact path to place the file at and its checksum.
    Console.Error.WriteLine("CIFAR-10 is not in the cache and could not be fetched:");
    Console.Error.WriteLine("  " + e.Message);
    Console.Error.WriteLine("Download that archive (about 160 MB) on a machine with network access and copy it to the path above " +
        "(the cache is ~/.keras/datasets, or DENDRITE_DATA when set); it is unpacked there on the first run.");
    return 1;
}
var ((xTrain, yTrain), (xTest, yTest)) = data;
if (samples is int s && s < xTrain.Shape[0]) (xTrain, yTrain) = (Ops.Slice(xTrain, 0, 0, s), Ops.Slice(yTrain, 0, 0, s));
Console.WriteLine($"CIFAR-10: {xTrain.Shape[0]} training and {xTest.Shape[0]} test images of 32x32x3");
xTrain = Ops.Mul(xTrain, 1f / 255f);
xTest = Ops.Mul(xTest, 1f / 255f);
var yTrainOneHot = Utils.ToCategorical(yTrain, 10);
var yTestOneHot = Utils.ToCategorical(yTest, 10);

model.Compile(optimizer: new Adam(learningRate: 0.0005), loss: "categorical_crossentropy", metrics: ["accuracy"]);
var history = model.Fit(xTrain, yTrainOneHot, batchSize: 32, epochs: epochs, shuffle: true, validationData: (xTest, yTestOneHot));
Plots.PlotHistory(history, "history.png");
Console.WriteLine($"wrote the loss and accuracy curves to {Path.GetFullPath("history.png")}");

var scores = model.EvaluateToDictionary(xTest, yTestOneHot, verbose: 0);
Console.WriteLine($"test loss: {scores["loss"]:F4}");
Console.WriteLine($"test accuracy: {scores["accuracy"]:F4}");
return 0;

int? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) && v > 0 ? v : null;
}
