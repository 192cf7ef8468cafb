using ScottPlot;

namespace Dendrite.Plotting;

public static partial class Plots
{
    /// <summary>
    /// One series as a line against its index 0, 1, 2, ... (matplotlib's <c>plt.plot(y)</c>):
    /// <c>Plots.Plot(history["loss"], "loss.png")</c>.
    /// </summary>
    public static void Plot(IReadOnlyList<float> y, string path, string? title = null, string xLabel = "", string yLabel = "", int width = 700, int height = 500) =>
        Line(Enumerable.Range(0, Checked(y, nameof(y)).Count).Select(i => (float)i).ToArray(), y, path, title, xLabel, yLabel, width, height);

    /// <summary>A line through the points (x[i], y[i]) in the given order (matplotlib's <c>plt.plot(x, y)</c>).</summary>
    public static void Plot(IReadOnlyList<float> x, IReadOnlyList<float> y, string path, string? title = null, string xLabel = "x", string yLabel = "y", int width = 700, int height = 500) =>
        Line(x, y, path, title, xLabel, yLabel, width, height);

    /// <summary>One series from a tensor (any shape, read row-major) against its index.</summary>
    public static void Plot(Tensor y, string path, string? title = null, string xLabel = "", string yLabel = "", int width = 700, int height = 500) =>
        Plot(Checked(y, nameof(y)).ToArray(), path, title, xLabel, yLabel, width, height);

    /// <summary>A line through the points (x[i], y[i]), the same as <see cref="Plot(IReadOnlyList{float}, IReadOnlyList{float}, string, string?, string, string, int, int)"/>.</summary>
    public static void Line(IReadOnlyList<float> x, IReadOnlyList<float> y, string path, string? title = null, string xLabel = "x", string yLabel = "y", int width = 700, int height = 500)
    {
        var (xs, ys) = Pair(x, y, "Line");
        var plot = new ScottPlot.Plot();
        var line = plot.Add.ScatterLine(xs, ys, Palette[0]);
        line.LineWidth = 2;
        Finish(plot, path, title, xLabel, yLabel, width, height);
    }

    /// <summary>
    /// Points (x[i], y[i]) (matplotlib's <c>plt.scatter</c>); with <paramref name="labels"/>, one colour per class and a legend.
    /// </summary>
    public static void Scatter(IReadOnlyList<float> x, IReadOnlyList<float> y, string path, int[]? labels = null, string? title = null,
        string xLabel = "x", string yLabel = "y", int width = 700, int height = 500)
    {
        var (xs, ys) = Pair(x, y, "Scatter");
        if (labels is not null && labels.Length != xs.Length)
            throw new ArgumentException($"Scatter: {xs.Length} points but {labels.Length} labels.", nameof(labels));
        var plot = new ScottPlot.Plot();
        if (labels is null)
        {
            var points = plot.Add.ScatterPoints(xs, ys, Palette[0]);
            points.MarkerSize = 6;
        }
        else
        {
            foreach (var (cls, i) in labels.Distinct().Order().Select((c, i) => (c, i)))
            {
                var idx = Enumerable.Range(0, labels.Length).Where(k => labels[k] == cls).ToArray();
                var points = plot.Add.ScatterPoints(idx.Select(k => xs[k]).ToArray(), idx.Select(k => ys[k]).ToArray(), Palette[i % Palette.Length]);
                points.MarkerSize = 6;
                points.LegendText = $"class {cls}";
            }
            plot.ShowLegend();
        }
        Finish(plot, path, title, xLabel, yLabel, width, height);
    }

    /// <summary>Points from two tensors of equal size (read row-major); see <see cref="Scatter(IReadOnlyList{float}, IReadOnlyList{float}, string, int[], string?, string, string, int, int)"/>.</summary>
    public static void Scatter(Tensor x, Tensor y, string path, int[]? labels = null, string? title = null,
        string xLabel = "x", string yLabel = "y", int width = 700, int height = 500) =>
        Scatter(Checked(x, nameof(x)).ToArray(), Checked(y, nameof(y)).ToArray(), path, labels, title, xLabel, yLabel, width, height);

    private static T Checked<T>(T value, string name) where T : class =>
        value ?? throw new ArgumentNullException(name);

    private static (double[] X, double[] Y) Pair(IReadOnlyList<float> x, IReadOnlyList<float> y, string what)
    {
        Checked(x, nameof(x));
        Checked(y, nameof(y));
        if (x.Count != y.Count) throw new ArgumentException($"{what}: x has {x.Count} values but y has {y.Count}; they must be equally long.");
        if (x.Count == 0) throw new ArgumentException($"{what}: there are no values to plot.");
        return (x.Select(v => (double)v).ToArray(), y.Select(v => (double)v).ToArray());
    }

    private static void Finish(ScottPlot.Plot plot, string path, string? title, string xLabel, string yLabel, int width, int height)
    {
        if (title is not null) plot.Title(title);
        if (xLabel.Length > 0) plot.XLabel(xLabel);
        if (yLabel.Length > 0) plot.YLabel(yLabel);
        Save(plot, path, width, height);
    }
}
