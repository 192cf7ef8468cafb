// The main job's MLP (examples/MnistMlp), data-parallel over MPI ranks:
//   mpirun -np 2 --bind-to none dotnet run -c Release --project examples/DistributedMnist
//   srun -n 2 dotnet examples/DistributedMnist/bin/Release/net10.0/DistributedMnist.dll      (Slurm)
//   dotnet run -c Release --project examples/DistributedMnist                                (one process, same code)
// Each rank takes 32 / ranks samples of every batch of 32, so the run follows the main job's data order and updates;
// rank 0 alone prints, plots and writes.
using Dendrite;
using Dendrite.Data;
using Dendrite.Datasets;
using Dendrite.Distributed;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Plotting;

using var dp = DataParallel.Init();
bool full = args.Contains("--full");
RandomState.SetSeed(42);
var ((xTrain, yTrain), (xTest, yTest)) = full ? Scale(Mnist.LoadData()) : Mnist.LoadEmbedded(testFraction: 0.2, seed: 42);
int batchPerRank = Math.Max(1, 32 / dp.Size);
if (dp.IsRoot)
{
    Console.WriteLine($"data-parallel on {dp.Size} rank(s), {Settings.Threads} thread(s) each: batch {batchPerRank} per rank, {batchPerRank * dp.Size} in all");
    Console.WriteLine($"{(full ? "MNIST (full)" : "MNIST (embedded subset)")}: {xTrain.Shape[0]} training and {xTest.Shape[0]} test digits");
}
var yTrainOneHot = Utils.ToCategorical(yTrain, 10);
var yTestOneHot = Utils.ToCategorical(yTest, 10);

var inputs = new Input(shape: [28, 28]);
var h = new Flatten().Call(inputs);
h = new Dense(200, activation: "relu").Call(h);
h = new Dense(150, activation: "relu").Call(h);
var outputs = new Dense(10, activation: "softmax").Call(h);
var model = new Model(inputs, outputs);
if (dp.IsRoot) model.Summary();
model.Compile(optimizer: new Adam(learningRate: 0.0005), loss: "categorical_crossentropy", metrics: ["accuracy"]);
var history = model.Fit(xTrain, yTrainOneHot, batchSize: batchPerRank, epochs: 10, validationSplit: 0.1, distributed: dp);

var scores = model.EvaluateToDictionary(xTest, yTestOneHot, verbose: 0);
if (dp.IsRoot)
{
    Plots.PlotHistory(history, "history.png");
    Console.WriteLine($"wrote the loss and accuracy curves to {Path.GetFullPath("history.png")}");
    Console.WriteLine($"test loss: {scores["loss"]:F4}");
    Console.WriteLine($"test accuracy: {scores["accuracy"]:F4}");
}

static ((Tensor, Tensor), (Tensor, Tensor)) Scale(((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) d) =>
    ((Ops.Mul(d.Train.X, 1f / 255f), d.Train.Y), (Ops.Mul(d.Test.X, 1f / 255f), d.Test.Y));
