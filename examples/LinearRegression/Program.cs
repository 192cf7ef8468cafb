// Seed 004: learn y = 2x + 1 with one Dense(1) unit, plain SGD and mean squared error.
using Dendrite;
using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Plotting;

Utils.SetRandomSeed(4);
float[] xs = Tensor.Linspace(1f, 10f, 1000).ToArray();   // plain arrays, one feature per sample, as in the seed
float[] ys = xs.Select(x => 2 * x + 1).ToArray();

var model = new Sequential();
model.Add(new Dense(1, activation: "linear", inputShape: [1]));
model.Compile(optimizer: "sgd", loss: "mse");
var history = model.Fit(xs, ys, epochs: 20);          // batch 32, Keras progress bar; x (1000,) feeds the (1,) input

var w = model.GetWeights();
Console.WriteLine($"learned w = {w[0][0, 0]:F4}, b = {w[1][0]:F4} (true: 2, 1); final loss {history["loss"][^1]:F6}");
var p = model.Predict(new float[] { 12, 14 }, verbose: 0);
Console.WriteLine($"prediction for 12: {p[0, 0]:F3} (true 25)");
Console.WriteLine($"prediction for 14: {p[1, 0]:F3} (true 29)");
var xLine = Tensor.Linspace(0f, 15f, 50).Reshape(-1, 1);
Plots.PlotPredictions(Tensor.FromArray(xs, 1000, 1), Tensor.FromArray(ys, 1000, 1), xLine, model.Predict(xLine, verbose: 0), "regression.png");
Console.WriteLine($"wrote the data and the fitted line to {Path.GetFullPath("regression.png")}");
