using System.Globalization;
using System.Text;

namespace Dendrite.Metrics;

/// <summary>
/// scikit-learn-style metric functions on whole label arrays (Keras-style streaming metrics are the classes of this
/// namespace). They take integer labels, or Keras probabilities through <see cref="Labels"/> (threshold 0.5 for one
/// column, argmax for several). Undefined ratios (0/0) count as 0, as scikit-learn's zero_division default does.
/// </summary>
public static class Scores
{
    /// <summary>Class labels from predicted probabilities: (n, 1) or (n,) thresholded, (n, k) by argmax.</summary>
    public static int[] Labels(Tensor probabilities, double threshold = 0.5) => probabilities.ToLabels(threshold);

    /// <summary>Fraction of exact matches.</summary>
    public static double AccuracyScore(int[] yTrue, int[] yPred)
    {
        Check(yTrue, yPred);
        return yTrue.Zip(yPred).Count(t => t.First == t.Second) / (double)Math.Max(1, yTrue.Length);
    }

    /// <summary>Precision tp / (tp + fp); <paramref name="average"/> "binary" (of <paramref name="posLabel"/>), "micro", "macro" or "weighted".</summary>
    public static double PrecisionScore(int[] yTrue, int[] yPred, string average = "binary", int posLabel = 1) =>
        Average(yTrue, yPred, average, posLabel, (tp, fp, fn) => Ratio(tp, tp + fp));

    /// <summary>Recall tp / (tp + fn), averaged like <see cref="PrecisionScore"/>.</summary>
    public static double RecallScore(int[] yTrue, int[] yPred, string average = "binary", int posLabel = 1) =>
        Average(yTrue, yPred, average, posLabel, (tp, fp, fn) => Ratio(tp, tp + fn));

    /// <summary>F1 = 2 tp / (2 tp + fp + fn), averaged like <see cref="PrecisionScore"/>.</summary>
    public static double F1Score(int[] yTrue, int[] yPred, string average = "binary", int posLabel = 1) =>
        Average(yTrue, yPred, average, posLabel, (tp, fp, fn) => Ratio(2 * tp, 2 * tp + fp + fn));

    /// <summary>
    /// Counts C[i, j] of samples of class <c>labels[i]</c> predicted as <c>labels[j]</c> (labels sorted by default); prints
    /// its values (<c>Console.WriteLine(cm)</c>), indexes as <c>cm[i, j]</c> and converts to <c>int[,]</c>.
    /// </summary>
    public static CountMatrix ConfusionMatrix(int[] yTrue, int[] yPred, int[]? labels = null)
    {
        Check(yTrue, yPred);
        labels ??= yTrue.Concat(yPred).Distinct().Order().ToArray();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        var m = new int[labels.Length, labels.Length];
        for (int i = 0; i < yTrue.Length; i++)
            if (index.TryGetValue(yTrue[i], out int r) && index.TryGetValue(yPred[i], out int c)) m[r, c]++;
        return new CountMatrix(m, labels);
    }

    /// <summary>The familiar text table of per-class precision, recall, F1 and support, then accuracy and the averages.</summary>
    public static string ClassificationReport(int[] yTrue, int[] yPred, string[]? targetNames = null, int digits = 2)
    {
        Check(yTrue, yPred);
        var labels = yTrue.Concat(yPred).Distinct().Order().ToArray();
        var names = targetNames ?? labels.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (names.Length != labels.Length) throw new ArgumentException($"{names.Length} target names for {labels.Length} classes.");
        var (tp, fp, fn, support) = Counts(yTrue, yPred, labels);
        int width = Math.Max(names.Max(n => n.Length), Math.Max("weighted avg".Length, digits));
        var inv = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("F" + digits, inv).PadLeft(9);
        var sb = new StringBuilder();
        sb.Append(new string(' ', width)).Append(' ');
        foreach (var h in new[] { "precision", "recall", "f1-score", "support" }) sb.Append(' ').Append(h.PadLeft(9));
        sb.Append("\n\n");
        for (int c = 0; c < labels.Length; c++)
            sb.Append(names[c].PadLeft(width)).Append(' ')
              .Append(' ').Append(F(Ratio(tp[c], tp[c] + fp[c]))).Append(' ').Append(F(Ratio(tp[c], tp[c] + fn[c])))
              .Append(' ').Append(F(Ratio(2 * tp[c], 2 * tp[c] + fp[c] + fn[c]))).Append(' ').Append(support[c].ToString(inv).PadLeft(9)).Append('\n');
        sb.Append('\n');
        int total = yTrue.Length;
        sb.Append("accuracy".PadLeft(width)).Append(' ').Append(' ').Append(new string(' ', 9)).Append(' ').Append(new string(' ', 9))
          .Append(' ').Append(F(AccuracyScore(yTrue, yPred))).Append(' ').Append(total.ToString(inv).PadLeft(9)).Append('\n');
        foreach (var avg in new[] { "macro", "weighted" })
            sb.Append($"{avg} avg".PadLeft(width)).Append(' ')
              .Append(' ').Append(F(PrecisionScore(yTrue, yPred, avg))).Append(' ').Append(F(RecallScore(yTrue, yPred, avg)))
              .Append(' ').Append(F(F1Score(yTrue, yPred, avg))).Append(' ').Append(total.ToString(inv).PadLeft(9)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Area under the ROC curve of binary labels (0/1) against scores, ties counted half (exact, rank based).</summary>
    public static double RocAucScore(int[] yTrue, float[] scores)
    {
        if (yTrue.Length != scores.Length) throw new ArgumentException($"yTrue has {yTrue.Length} labels but there are {scores.Length} scores.");
        if (yTrue.Any(v => v is not (0 or 1))) throw new ArgumentException("RocAucScore takes binary labels 0 and 1.");
        int pos = yTrue.Count(v => v == 1), neg = yTrue.Length - pos;
        if (pos == 0 || neg == 0) throw new ArgumentException("RocAucScore needs both classes in yTrue.");
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            double avg = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) ranks[order[t]] = avg;
            i = j + 1;
        }
        double sumPos = Enumerable.Range(0, yTrue.Length).Where(i => yTrue[i] == 1).Sum(i => ranks[i]);
        return (sumPos - pos * (pos + 1) / 2.0) / ((double)pos * neg);
    }

    /// <summary>ROC AUC from predicted probabilities of shape (n, 1) or (n,).</summary>
    public static double RocAucScore(int[] yTrue, Tensor probabilities) => RocAucScore(yTrue, probabilities.ToArray());

    /// <summary>Mean of squared differences.</summary>
    public static double MeanSquaredError(float[] yTrue, float[] yPred)
    {
        if (yTrue.Length != yPred.Length) throw new ArgumentException($"yTrue has {yTrue.Length} values but yPred has {yPred.Length}.");
        return yTrue.Zip(yPred).Average(t => (double)(t.First - t.Second) * (t.First - t.Second));
    }

    /// <summary>Coefficient of determination 1 - SS_res / SS_tot.</summary>
    public static double R2Score(float[] yTrue, float[] yPred)
    {
        if (yTrue.Length != yPred.Length) throw new ArgumentException($"yTrue has {yTrue.Length} values but yPred has {yPred.Length}.");
        double mean = yTrue.Average(v => (double)v);
        double res = yTrue.Zip(yPred).Sum(t => (double)(t.First - t.Second) * (t.First - t.Second));
        double tot = yTrue.Sum(v => (v - mean) * (v - mean));
        return tot == 0 ? (res == 0 ? 1.0 : 0.0) : 1 - res / tot;
    }

    private static double Average(int[] yTrue, int[] yPred, string average, int posLabel, Func<double, double, double, double> metric)
    {
        Check(yTrue, yPred);
        var labels = yTrue.Concat(yPred).Distinct().Order().ToArray();
        var (tp, fp, fn, support) = Counts(yTrue, yPred, labels);
        switch (average)
        {
            case "binary":
                if (labels.Any(l => l != 0 && l != 1 && l != posLabel) || labels.Length > 2)
                    throw new ArgumentException($"average \"binary\" needs two classes, got [{string.Join(", ", labels)}]; use \"micro\", \"macro\" or \"weighted\".");
                int c = Array.IndexOf(labels, posLabel);
                return c < 0 ? 0 : metric(tp[c], fp[c], fn[c]);
            case "micro": return metric(tp.Sum(), fp.Sum(), fn.Sum());
            case "macro": return Enumerable.Range(0, labels.Length).Average(i => metric(tp[i], fp[i], fn[i]));
            case "weighted":
                double total = support.Sum();
                return total == 0 ? 0 : Enumerable.Range(0, labels.Length).Sum(i => metric(tp[i], fp[i], fn[i]) * support[i]) / total;
            default: throw new ArgumentException($"average must be \"binary\", \"micro\", \"macro\" or \"weighted\", got \"{average}\".", nameof(average));
        }
    }

    private static (double[] Tp, double[] Fp, double[] Fn, int[] Support) Counts(int[] yTrue, int[] yPred, int[] labels)
    {
        int k = labels.Length;
        double[] tp = new double[k], fp = new double[k], fn = new double[k];
        var support = new int[k];
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        for (int i = 0; i < yTrue.Length; i++)
        {
            int t = index[yTrue[i]], p = index[yPred[i]];
            support[t]++;
            if (t == p) tp[t]++;
            else { fp[p]++; fn[t]++; }
        }
        return (tp, fp, fn, support);
    }

    private static double Ratio(double a, double b) => b == 0 ? 0 : a / b;

    private static void Check(int[] yTrue, int[] yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (yTrue.Length != yPred.Length) throw new ArgumentException($"yTrue has {yTrue.Length} labels but yPred has {yPred.Length}.");
    }
}
