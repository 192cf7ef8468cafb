using Dendrite.Classic;
using Dendrite.Datasets;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Plotting;
using SkiaSharp;

namespace Dendrite.Tests.Plotting;

/// <summary>Every figure is written, decodes as a PNG of the expected size, and is not blank.</summary>
public sealed class PlotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-plots-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertRealPicture(string path, int width, int height, int minColors = 8)
    {
        using var bmp = SKBitmap.Decode(path);
        Assert.NotNull(bmp);
        Assert.Equal(width, bmp.Width);
        Assert.Equal(height, bmp.Height);
        var colors = new HashSet<uint>();
        int nonWhite = 0;
        for (int y = 0; y < bmp.Height; y += 2)
            for (int x = 0; x < bmp.Width; x += 2)
            {
                var c = bmp.GetPixel(x, y);
                colors.Add((uint)c);
                if (c.Red < 240 || c.Green < 240 || c.Blue < 240) nonWhite++;
            }
        Assert.True(colors.Count >= minColors, $"{path}: only {colors.Count} colours");
        Assert.True(nonWhite > bmp.Width * bmp.Height / 4 / 50, $"{path}: almost blank ({nonWhite} non-white samples)");
    }

    [Fact]
    public void History_has_a_panel_per_metric()
    {
        var m = new Sequential([new Input(shape: [2]), new Dense(4, activation: "tanh"), new Dense(1, activation: "sigmoid")]);
        m.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"]);
        var x = Tensor.RandomUniform([32, 2], seed: 1);
        var h = m.Fit(x, Ops.Greater(Ops.Sum(x, [1], keepDims: true), Tensor.Scalar(1f)), epochs: 5, verbose: 0, validationSplit: 0.25);
        string path = Path.Combine(_dir, "history.png");
        Plots.PlotHistory(h, path, panelWidth: 400, panelHeight: 300);
        AssertRealPicture(path, 800, 300);
    }

    [Fact]
    public void Decision_boundary_of_the_iris_perceptron()
    {
        var (x, species) = Iris.Load();
        var petals = Ops.Slice(x, 1, 2, 2);
        var y = species.Select(s => s == 0 ? 1 : 0).ToArray();
        var p = new Perceptron(randomState: 42).Fit(petals, y);
        string path = Path.Combine(_dir, "boundary.png");
        Plots.PlotDecisionBoundary(p.Predict, petals, y, path, "petal length", "petal width", width: 600, height: 400, resolution: 100);
        AssertRealPicture(path, 600, 400);
        Assert.Throws<ArgumentException>(() => Plots.PlotDecisionBoundary(p.Predict, x, species, path));
    }

    [Fact]
    public void Image_grids_in_grayscale_and_rgb()
    {
        var ((digits, labels), _) = Mnist.LoadEmbedded();
        string gray = Path.Combine(_dir, "digits.png");
        Plots.PlotImages(Ops.Slice(digits, 0, 0, 10), Ops.Slice(labels, 0, 0, 10).ToArray().Select(v => (int)v).ToArray(), gray, columns: 5, scale: 2);
        AssertRealPicture(gray, 5 * (56 + 6) + 6, 2 * (56 + 24 + 6) + 6, minColors: 3);
        string rgb = Path.Combine(_dir, "rgb.png");
        Plots.PlotImages(Tensor.RandomUniform([3, 8, 8, 3], 0f, 255f, seed: 2), null, rgb, columns: 3, scale: 3);
        AssertRealPicture(rgb, 3 * (24 + 6) + 6, 24 + 12);
    }

    [Fact]
    public void Activations_and_predictions()
    {
        string a = Path.Combine(_dir, "act.png");
        Plots.PlotActivations(a, 640, 480);
        AssertRealPicture(a, 640, 480);
        string r = Path.Combine(_dir, "reg.png");
        var x = Tensor.Linspace(1f, 10f, 50);
        Plots.PlotPredictions(x, x * 2f + 1f, x, x * 2f + 1.2f, r, width: 500, height: 300);
        AssertRealPicture(r, 500, 300);
    }

    [Fact]
    public void Single_series_lines_and_scatter_plots_are_drawn()
    {
        var h = Path.Combine(_dir, "series.png");
        Plots.Plot(new List<float> { 3f, 2f, 1.5f, 1.2f, 1.1f }, h, title: "loss", width: 400, height: 300);
        AssertRealPicture(h, 400, 300);
        var line = Path.Combine(_dir, "line.png");
        Plots.Line([0f, 1f, 2f, 3f], [0f, 1f, 4f, 9f], line, width: 420, height: 310);
        AssertRealPicture(line, 420, 310);
        var t = Path.Combine(_dir, "tensor.png");
        Plots.Plot(Tensor.Linspace(0f, 1f, 20), t, width: 300, height: 200);
        AssertRealPicture(t, 300, 200);
        var sc = Path.Combine(_dir, "scatter.png");
        var x = Tensor.RandomUniform([50], seed: 1);
        var y = Tensor.RandomUniform([50], seed: 2);
        Plots.Scatter(x, y, sc, labels: (x > y).ToInt32Array(), width: 500, height: 400);
        AssertRealPicture(sc, 500, 400);
        Plots.Scatter(x.ToArray(), y.ToArray(), sc, width: 500, height: 400);
        AssertRealPicture(sc, 500, 400);
        Assert.Contains("3 values", Assert.Throws<ArgumentException>(() => Plots.Line([1f, 2f, 3f], [1f, 2f], line)).Message);
        Assert.Throws<ArgumentException>(() => Plots.Scatter(x, y, sc, labels: [1, 2]));
    }
}
