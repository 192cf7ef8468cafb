using Dendrite.Data;
using Dendrite.Models;
using ScottPlot;
using SkiaSharp;

namespace Dendrite.Plotting;

/// <summary>Charts as PNG files, written atomically: training curves, decision boundaries, image grids, activations, regressions.</summary>
public static partial class Plots
{
    private static readonly Color[] Palette = [Colors.C0, Colors.C1, Colors.C2, Colors.C3, Colors.C4, Colors.C5];

    /// <summary>One panel per series name (loss, accuracy, ...), with the training curve and the validation one when present.</summary>
    public static void PlotHistory(History history, string path, int panelWidth = 500, int panelHeight = 350)
    {
        var names = history.Keys.Where(k => !k.StartsWith("val_", StringComparison.Ordinal)).OrderBy(k => k == "loss" ? "" : k, StringComparer.Ordinal).ToList();
        if (names.Count == 0) throw new ArgumentException("The history has no values to plot.", nameof(history));
        var panels = names.Select(name =>
        {
            var plot = new Plot();
            double[] epochs = history.Epoch.Select(e => (double)e + 1).ToArray();
            var train = plot.Add.Scatter(epochs, history[name].Select(v => (double)v).ToArray(), Palette[0]);
            train.LegendText = name;
            if (history.Values.ContainsKey("val_" + name))
            {
                var val = plot.Add.Scatter(epochs, history["val_" + name].Select(v => (double)v).ToArray(), Palette[1]);
                val.LegendText = "val_" + name;
            }
            plot.Title(name);
            plot.XLabel("epoch");
            plot.YLabel(name);
            plot.ShowLegend();
            return plot;
        }).ToList();
        SaveGrid(panels, path, Math.Min(panels.Count, 2), panelWidth, panelHeight);
    }

    /// <summary>
    /// Filled regions of a 2-feature classifier's predictions over the data's range, with the points coloured by class
    /// (seed 002's Iris perceptron figure). <paramref name="predict"/> maps (samples, 2) points to class labels.
    /// </summary>
    public static void PlotDecisionBoundary(Func<Tensor, int[]> predict, Tensor x, int[] y, string path,
        string xLabel = "feature 1", string yLabel = "feature 2", string? title = null, int width = 700, int height = 500, int resolution = 200)
    {
        if (x.Rank != 2 || x.Shape[1] != 2) throw new ArgumentException($"PlotDecisionBoundary needs (samples, 2) points, got {x.Shape}.");
        if (x.Shape[0] != y.Length) throw new ArgumentException($"x has {x.Shape[0]} points but y has {y.Length} labels.");
        var xs = Enumerable.Range(0, x.Shape[0]).Select(i => (double)x[i, 0]).ToArray();
        var ys = Enumerable.Range(0, x.Shape[0]).Select(i => (double)x[i, 1]).ToArray();
        double padX = (xs.Max() - xs.Min()) * 0.1 + 1e-3, padY = (ys.Max() - ys.Min()) * 0.1 + 1e-3;
        double x0 = xs.Min() - padX, x1 = xs.Max() + padX, y0 = ys.Min() - padY, y1 = ys.Max() + padY;
        var grid = new float[resolution * resolution * 2];
        for (int r = 0; r < resolution; r++)
            for (int c = 0; c < resolution; c++)
            {
                grid[(r * resolution + c) * 2] = (float)(x0 + (x1 - x0) * (c + 0.5) / resolution);
                grid[(r * resolution + c) * 2 + 1] = (float)(y1 - (y1 - y0) * (r + 0.5) / resolution);
            }
        int[] regions = predict(Tensor.FromArray(grid, resolution * resolution, 2));
        var classes = y.Concat(regions).Distinct().Order().ToArray();
        var values = new double[resolution, resolution];
        for (int r = 0; r < resolution; r++)
            for (int c = 0; c < resolution; c++) values[r, c] = Array.IndexOf(classes, regions[r * resolution + c]);
        var plot = new Plot();
        var heat = plot.Add.Heatmap(values);
        heat.Extent = new CoordinateRect(x0, x1, y0, y1);
        heat.Colormap = new ScottPlot.Colormaps.Custom(classes.Select((_, i) => Palette[i % Palette.Length].Lighten(0.6)).ToArray());
        foreach (var (cls, i) in classes.Select((c, i) => (c, i)))
        {
            var idx = Enumerable.Range(0, y.Length).Where(k => y[k] == cls).ToArray();
            if (idx.Length == 0) continue;
            var s = plot.Add.ScatterPoints(idx.Select(k => xs[k]).ToArray(), idx.Select(k => ys[k]).ToArray(), Palette[i % Palette.Length]);
            s.MarkerShape = i % 2 == 0 ? MarkerShape.FilledCircle : MarkerShape.FilledSquare;
            s.MarkerSize = 7;
            s.LegendText = $"class {cls}";
        }
        plot.Axes.SetLimits(x0, x1, y0, y1);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (title is not null) plot.Title(title);
        plot.ShowLegend();
        Save(plot, path, width, height);
    }

    /// <summary>A grid of images (seed 001's display of x_train[:10]): (n, h, w) grayscale or (n, h, w, 3) RGB, values in [0, 1] or [0, 255].</summary>
    public static void PlotImages(Tensor images, int[]? labels, string path, int columns = 5, int scale = 4)
    {
        if (images.Rank is not (3 or 4) || (images.Rank == 4 && images.Shape[3] is not (1 or 3)))
            throw new ArgumentException($"PlotImages needs (n, h, w) or (n, h, w, 1|3) images, got {images.Shape}.");
        int n = images.Shape[0], h = images.Shape[1], w = images.Shape[2], ch = images.Rank == 4 ? images.Shape[3] : 1;
        if (labels is not null && labels.Length != n) throw new ArgumentException($"{n} images but {labels.Length} labels.");
        int cols = Math.Max(1, Math.Min(columns, n)), rows = (n + cols - 1) / cols;
        int cell = Math.Max(w, h) * scale, label = labels is null ? 0 : 24, pad = 6;
        var data = images.ToArray();
        float max = 0;
        foreach (float v in data) max = Math.Max(max, v);
        float norm = max > 1.5f ? 1f / 255f : 1f;
        var info = new SKImageInfo(cols * (cell + pad) + pad, rows * (cell + label + pad) + pad);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 16);
        using var textPaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (int i = 0; i < n; i++)
        {
            using var bmp = new SKBitmap(w, h);
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++)
                {
                    int o = ((i * h + r) * w + c) * ch;
                    byte Px(int k) => (byte)Math.Clamp(data[o + k] * norm * 255f, 0f, 255f);
                    bmp.SetPixel(c, r, ch == 3 ? new SKColor(Px(0), Px(1), Px(2)) : new SKColor(Px(0), Px(0), Px(0)));
                }
            int left = pad + i % cols * (cell + pad), top = pad + i / cols * (cell + label + pad);
            using var image = SKImage.FromBitmap(bmp);
            canvas.DrawImage(image, new SKRect(left, top, left + cell, top + cell), new SKSamplingOptions(SKFilterMode.Nearest));
            if (labels is not null) canvas.DrawText(labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture), left + cell / 2f, top + cell + 18, SKTextAlign.Center, font, textPaint);
        }
        WritePng(surface, path);
    }

    /// <summary>sigmoid, tanh, relu, leaky relu, softplus and the Heaviside step on one chart over [-5, 5].</summary>
    public static void PlotActivations(string path, int width = 700, int height = 500)
    {
        var z = Tensor.Linspace(-5f, 5f, 401);
        double[] xs = z.ToArray().Select(v => (double)v).ToArray();
        var plot = new Plot();
        var curves = new (string Name, Tensor Y)[]
        {
            ("sigmoid", Ops.Sigmoid(z)), ("tanh", Ops.Tanh(z)), ("relu", Ops.Relu(z)),
            ("leaky relu", Ops.LeakyRelu(z, 0.2f)), ("softplus", Ops.Softplus(z)), ("step", Ops.Heaviside(z)),
        };
        foreach (var ((name, y), i) in curves.Select((c, i) => (c, i)))
        {
            var s = plot.Add.ScatterLine(xs, y.ToArray().Select(v => (double)v).ToArray(), Palette[i % Palette.Length]);
            s.LineWidth = name == "relu" ? 4 : 2;
            if (name == "relu") s.LinePattern = LinePattern.Dashed;   // it coincides with leaky relu and the step in places
            s.LegendText = name;
        }
        plot.Axes.SetLimits(-5, 5, -1.5, 5);
        plot.Title("Activation functions");
        plot.XLabel("z");
        plot.YLabel("activation(z)");
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path, width, height);
    }

    /// <summary>The data as points and a model's predictions as a line (seed 004's regression figure).</summary>
    public static void PlotPredictions(Tensor x, Tensor y, Tensor xNew, Tensor yNew, string path,
        string xLabel = "x", string yLabel = "y", int width = 700, int height = 500)
    {
        double[] F(Tensor t) => t.ToArray().Select(v => (double)v).ToArray();
        if (x.Size != y.Size || xNew.Size != yNew.Size) throw new ArgumentException("PlotPredictions needs x and y (and xNew and yNew) of equal length.");
        var plot = new Plot();
        var data = plot.Add.ScatterPoints(F(x), F(y), Palette[0]);
        data.LegendText = "data";
        data.MarkerSize = 4;
        var order = Enumerable.Range(0, xNew.Size).OrderBy(i => xNew.AsSpan()[i]).ToArray();
        var line = plot.Add.ScatterLine(order.Select(i => (double)xNew.AsSpan()[i]).ToArray(), order.Select(i => (double)yNew.AsSpan()[i]).ToArray(), Palette[1]);
        line.LineWidth = 2;
        line.LegendText = "prediction";
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path, width, height);
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        var bytes = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    private static void SaveGrid(List<Plot> panels, string path, int columns, int panelWidth, int panelHeight)
    {
        int rows = (panels.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(columns * panelWidth, rows * panelHeight));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            using var img = SKBitmap.Decode(panels[i].GetImageBytes(panelWidth, panelHeight, ImageFormat.Png));
            surface.Canvas.DrawBitmap(img, i % columns * panelWidth, i / columns * panelHeight);
        }
        WritePng(surface, path);
    }

    private static void WritePng(SKSurface surface, string path)
    {
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, s => png.SaveTo(s));
    }
}
