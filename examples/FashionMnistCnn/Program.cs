// A small convolutional network on Zalando's Fashion-MNIST (28x28 grey images of clothes, 10 classes).
//   dotnet run -c Release --project examples/FashionMnistCnn            10,000 images embedded in the library (no network)
//   dotnet run -c Release --project examples/FashionMnistCnn -- --full  the whole data set: Debian's dataset-fashion-mnist
//                                                                       package if installed, else Keras's files (downloaded once)
//   options: --epochs N (default 6 embedded, 10 full), --samples N (train on the first N training images only)
using Dendrite;
using Dendrite.Callbacks;
using Dendrite.Data;
using Dendrite.Datasets;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Plotting;

bool full = args.Contains("--full");
int epochs = Option("--epochs") ?? (full ? 10 : 6);
int? samples = Option("--samples");
Utils.SetRandomSeed(42);
((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) data;
try
{
    data = full ? Scale(FashionMnist.LoadData()) : FashionMnist.LoadEmbedded();
}
catch (Exception e) when (e is IOException or InvalidDataException)
{
    // Offline or a damaged cache: the message names the URL, the exact path to place the file at and its checksum.
    Console.Error.WriteLine("The full Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist) nor in the cache, and could not be fetched:");
    Console.Error.WriteLine("  " + e.Message);
    Console.Error.WriteLine("Without --full, this example trains on the images embedded in the library (no network).");
    return 1;
}
var ((xTrain, yTrain), (xTest, yTest)) = data;
if (samples is int s && s < xTrain.Shape[0]) (xTrain, yTrain) = (Ops.Slice(xTrain, 0, 0, s), Ops.Slice(yTrain, 0, 0, s));
Console.WriteLine($"Fashion-MNIST ({(full ? "full" : "embedded subset")}): {xTrain.Shape[0]} training and {xTest.Shape[0]} test images of {xTrain.Shape[1]}x{xTrain.Shape[2]} pixels");
Plots.PlotImages(Ops.Slice(xTrain, 0, 0, 10), Ops.Slice(yTrain, 0, 0, 10).ToArray().Select(v => (int)v).ToArray(), "samples.png");
Console.WriteLine($"wrote the first 10 training images to {Path.GetFullPath("samples.png")} (labels: {string.Join(", ", FashionMnist.ClassNames)})");
// Convolutions want a channels axis: (n, 28, 28) -> (n, 28, 28, 1), as np.expand_dims(x, -1) in Keras.
xTrain = xTrain.Reshape(-1, 28, 28, 1);
xTest = xTest.Reshape(-1, 28, 28, 1);

var model = new Sequential([
    new Input(shape: [28, 28, 1]),
    new Conv2D(filters: 32, kernelSize: 3, padding: "same"),
    new BatchNormalization(),
    new LeakyReLU(),
    new MaxPooling2D(poolSize: 2),
    new Conv2D(filters: 64, kernelSize: 3, padding: "same"),
    new BatchNormalization(),
    new LeakyReLU(),
    new MaxPooling2D(poolSize: 2),
    new Flatten(),
    new Dropout(0.25),
    new Dense(128),
    new LeakyReLU(),
    new Dropout(0.5),
    new Dense(10, activation: "softmax"),
]);
model.Summary();
model.Compile(optimizer: new Adam(learningRate: 0.001), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
// Halve the learning rate when the validation loss stops improving: the late epochs then settle instead of moving
// validation accuracy by +-0.5% from one epoch to the next.
var history = model.Fit(xTrain, yTrain, batchSize: 64, epochs: epochs, validationSplit: 0.1,
    callbacks: [new ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 1, verbose: 1)]);
Plots.PlotHistory(history, "history.png");
Console.WriteLine($"wrote the loss and accuracy curves to {Path.GetFullPath("history.png")}");

var scores = model.EvaluateToDictionary(xTest, yTest, batchSize: 256, verbose: 0);
Console.WriteLine($"test loss: {scores["loss"]:F4}");
Console.WriteLine($"test accuracy: {scores["accuracy"]:F4}");
return 0;

int? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) && v > 0 ? v : null;
}

static ((Tensor, Tensor), (Tensor, Tensor)) Scale(((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) d) =>
    ((Ops.Mul(d.Train.X, 1f / 255f), d.Train.Y), (Ops.Mul(d.Test.X, 1f / 255f), d.Test.Y));
