// Seed 002: a perceptron separates Iris setosa from the rest using petal length and width.
using Dendrite;
using Dendrite.Classic;
using Dendrite.Datasets;
using Dendrite.Plotting;

var (x, species) = Iris.Load();
var petals = Ops.Slice(x, 1, 2, 2);                        // petal length, petal width
int[] y = species.Select(s => s == 0 ? 1 : 0).ToArray();   // 1 = setosa

var p = new Perceptron(randomState: 42);
p.Fit(petals, y);
Console.WriteLine($"coef: [{p.Coef[0, 0]:0.###}, {p.Coef[0, 1]:0.###}], intercept: {p.Intercept[0]:0.###}, epochs: {p.NIter}");
Console.WriteLine("(scikit-learn with random_state=42: coef [-1.4, -2.2], intercept 4.0, 7 epochs; the shuffling differs, so the line may too)");
Console.WriteLine($"training accuracy: {p.Score(petals, y):F4}");
Console.WriteLine($"prediction for petal length 2, width 0.5: {p.Predict(new float[,] { { 2f, 0.5f } })[0]} (1 = setosa)");
Plots.PlotDecisionBoundary(p.Predict, petals, y, "decision_boundary.png", xLabel: "petal length (cm)", yLabel: "petal width (cm)",
    title: "Perceptron: setosa (1) vs rest (0)");
Console.WriteLine($"wrote the decision boundary to {Path.GetFullPath("decision_boundary.png")}");
