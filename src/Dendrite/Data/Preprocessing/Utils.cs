namespace Dendrite.Data;

/// <summary>Keras-style data utilities.</summary>
public static partial class Utils
{
    /// <summary>One-hot rows for integer class labels (Keras <c>to_categorical</c>); classes default to max label + 1.</summary>
    public static Tensor ToCategorical(int[] labels, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int n = numClasses ?? (labels.Length == 0 ? 0 : labels.Max() + 1);
        return Ops.OneHot(labels, n);
    }

    /// <summary>One-hot rows for labels held in a tensor (shape (n,) or (n, 1), whole numbers).</summary>
    public static Tensor ToCategorical(Tensor labels, int? numClasses = null)
    {
        var ints = new int[labels.Size];
        var s = labels.AsSpan();
        for (int i = 0; i < ints.Length; i++)
        {
            if (s[i] != MathF.Floor(s[i]) || s[i] < 0) throw new ArgumentException($"ToCategorical: label {s[i]} at position {i} is not a non-negative whole number.");
            ints[i] = (int)s[i];
        }
        return ToCategorical(ints, numClasses);
    }

    /// <summary>
    /// Splits samples into train and test parts (scikit-learn <c>train_test_split</c>): seeded shuffle, and with
    /// <paramref name="stratify"/> (one label per sample) each class keeps its proportion in both parts.
    /// Returns the row indices of each part.
    /// </summary>
    public static (int[] Train, int[] Test) TrainTestSplit(int samples, double testSize = 0.25, int? seed = null, int[]? stratify = null)
    {
        if (testSize <= 0 || testSize >= 1) throw new ArgumentOutOfRangeException(nameof(testSize), $"testSize must be in (0, 1), got {testSize}.");
        var rng = RandomState.For(seed);
        if (stratify is null)
        {
            var order = Enumerable.Range(0, samples).ToArray();
            rng.Shuffle(order.AsSpan());
            int nTest = (int)Math.Ceiling(samples * testSize);
            return (order[nTest..], order[..nTest]);
        }
        if (stratify.Length != samples) throw new ArgumentException($"stratify has {stratify.Length} labels for {samples} samples.");
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, samples).GroupBy(i => stratify[i]).OrderBy(g => g.Key))
        {
            var idx = group.ToArray();
            rng.Shuffle(idx.AsSpan());
            int nTest = (int)Math.Round(idx.Length * testSize, MidpointRounding.AwayFromZero);
            test.AddRange(idx[..nTest]);
            train.AddRange(idx[nTest..]);
        }
        var tr = train.ToArray();
        var te = test.ToArray();
        rng.Shuffle(tr.AsSpan());
        rng.Shuffle(te.AsSpan());
        return (tr, te);
    }

    /// <summary>Splits x and y into train and test parts; see <see cref="TrainTestSplit(int, double, int?, int[])"/>.</summary>
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) TrainTestSplit(Tensor x, Tensor y, double testSize = 0.25, int? seed = null, bool stratify = false)
    {
        int n = x.Shape[0];
        if (y.Shape[0] != n) throw new ArgumentException($"x has {n} samples but y has {y.Shape[0]}.");
        int[]? labels = null;
        if (stratify)
        {
            int width = y.Size / Math.Max(1, n);
            labels = Enumerable.Range(0, n).Select(i => width == 1 ? (int)y.AsSpan()[i] : Metrics.Metric.ArgMax(y.AsSpan().Slice(i * width, width))).ToArray();
        }
        var (tr, te) = TrainTestSplit(n, testSize, seed, labels);
        using var _ = Autodiff.GradMode.NoGrad();
        return ((Ops.Gather(x, tr), Ops.Gather(y, tr)), (Ops.Gather(x, te), Ops.Gather(y, te)));
    }
}
