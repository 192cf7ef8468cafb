namespace Dendrite.Classic;

/// <summary>
/// The perceptron with scikit-learn's semantics (<c>sklearn.linear_model.Perceptron</c>, i.e. SGD on the perceptron
/// loss max(0, -y p) with a constant learning rate eta0): one-vs-all for more than two classes, optional L1/L2/elastic-net
/// penalty, seeded shuffling, and scikit-learn's stopping rule (stop when the epoch's summed loss has not dropped
/// below best - tol * n for <c>nIterNoChange</c> epochs; with early stopping, the validation accuracy instead).
/// <c>var p = new Perceptron(maxIter: 1000, tol: 1e-3, randomState: 42); p.Fit(x, y); int[] yHat = p.Predict(x);</c>
/// </summary>
public sealed class Perceptron
{
    private double[][] _w = [];
    private double[] _b = [];
    private RandomGenerator? _rng;

    /// <summary>Creates an unfitted perceptron; the defaults are scikit-learn's.</summary>
    public Perceptron(string? penalty = null, double alpha = 0.0001, double l1Ratio = 0.15, bool fitIntercept = true,
        int maxIter = 1000, double? tol = 1e-3, bool shuffle = true, double eta0 = 1.0, int? randomState = 0,
        bool earlyStopping = false, double validationFraction = 0.1, int nIterNoChange = 5,
        IReadOnlyDictionary<int, double>? classWeight = null, bool warmStart = false)
    {
        if (penalty is not (null or "l1" or "l2" or "elasticnet"))
            throw new ArgumentException($"penalty must be null, \"l1\", \"l2\" or \"elasticnet\", got \"{penalty}\".", nameof(penalty));
        if (maxIter < 1) throw new ArgumentOutOfRangeException(nameof(maxIter), $"maxIter must be at least 1, got {maxIter}.");
        if (eta0 <= 0) throw new ArgumentOutOfRangeException(nameof(eta0), $"eta0 must be positive, got {eta0}.");
        if (validationFraction <= 0 || validationFraction >= 1) throw new ArgumentOutOfRangeException(nameof(validationFraction), $"validationFraction must be in (0, 1), got {validationFraction}.");
        if (nIterNoChange < 1) throw new ArgumentOutOfRangeException(nameof(nIterNoChange), $"nIterNoChange must be at least 1, got {nIterNoChange}.");
        Penalty = penalty; Alpha = alpha; L1Ratio = penalty == "l1" ? 1.0 : penalty == "l2" ? 0.0 : l1Ratio;
        FitIntercept = fitIntercept; MaxIter = maxIter; Tol = tol; Shuffle = shuffle; Eta0 = eta0; RandomState = randomState;
        EarlyStopping = earlyStopping; ValidationFraction = validationFraction; NIterNoChange = nIterNoChange;
        ClassWeight = classWeight; WarmStart = warmStart;
    }

    /// <summary>null, "l1", "l2" or "elasticnet".</summary>
    public string? Penalty { get; }
    /// <summary>Penalty strength.</summary>
    public double Alpha { get; }
    /// <summary>Share of L1 in the elastic-net penalty (1 for "l1", 0 for "l2").</summary>
    public double L1Ratio { get; }
    /// <summary>Whether an intercept is learned.</summary>
    public bool FitIntercept { get; }
    /// <summary>Most epochs.</summary>
    public int MaxIter { get; }
    /// <summary>Stopping tolerance (null: run maxIter epochs).</summary>
    public double? Tol { get; }
    /// <summary>Whether samples are reshuffled every epoch.</summary>
    public bool Shuffle { get; }
    /// <summary>The constant learning rate.</summary>
    public double Eta0 { get; }
    /// <summary>Seed of the shuffling and of the early-stopping split.</summary>
    public int? RandomState { get; }
    /// <summary>Whether to stop on a held-out validation accuracy.</summary>
    public bool EarlyStopping { get; }
    /// <summary>Share of the training data held out for early stopping.</summary>
    public double ValidationFraction { get; }
    /// <summary>Epochs without improvement before stopping.</summary>
    public int NIterNoChange { get; }
    /// <summary>Weight per class label (missing classes weigh 1).</summary>
    public IReadOnlyDictionary<int, double>? ClassWeight { get; }
    /// <summary>Whether Fit continues from the current coefficients.</summary>
    public bool WarmStart { get; }

    /// <summary>The class labels, sorted.</summary>
    public int[] Classes { get; private set; } = [];
    /// <summary>Coefficients: one row per class (one row for two classes), one column per feature.</summary>
    public double[,] Coef
    {
        get
        {
            var c = new double[_w.Length, _w.Length == 0 ? 0 : _w[0].Length];
            for (int k = 0; k < _w.Length; k++) for (int j = 0; j < _w[k].Length; j++) c[k, j] = _w[k][j];
            return c;
        }
    }
    /// <summary>Intercepts, one per row of <see cref="Coef"/>.</summary>
    public double[] Intercept => (double[])_b.Clone();
    /// <summary>Epochs run by the last Fit (the largest over the one-vs-all problems).</summary>
    public int NIter { get; private set; }
    /// <summary>False when the last Fit stopped at maxIter without meeting the tolerance.</summary>
    public bool Converged { get; private set; }

    /// <summary>Learns from (samples, features) data and integer labels of any values.</summary>
    public Perceptron Fit(float[,] x, int[] y) => Fit(Tensor.FromArray(x), y);

    /// <summary>Learns from (samples, features) data and integer labels of any values.</summary>
    public Perceptron Fit(Tensor x, int[] y)
    {
        var (rows, n, f) = Check(x, y);
        var classes = y.Distinct().Order().ToArray();
        if (classes.Length < 2) throw new ArgumentException($"Perceptron needs at least two classes in y, got only {classes.Length}: [{string.Join(", ", classes)}].");
        if (!WarmStart || _w.Length == 0 || !Classes.SequenceEqual(classes) || _w[0].Length != f) Init(classes, f);
        _rng = new RandomGenerator(RandomState ?? Environment.TickCount);
        NIter = 0;
        Converged = true;
        for (int k = 0; k < _w.Length; k++)
        {
            var yk = Binary(y, k);
            var seed = _rng.NextUInt64();
            var (iters, converged) = FitBinary(rows, yk, y, k, new RandomGenerator((long)seed), MaxIter, stopping: true);
            NIter = Math.Max(NIter, iters);
            Converged &= converged;
        }
        return this;
    }

    /// <summary>One epoch over the data (scikit-learn partial_fit); the first call must name every class.</summary>
    public Perceptron PartialFit(Tensor x, int[] y, int[]? classes = null)
    {
        var (rows, n, f) = Check(x, y);
        if (_w.Length == 0)
        {
            if (classes is null) throw new ArgumentException("The first PartialFit call needs the list of all classes.", nameof(classes));
            Init(classes.Distinct().Order().ToArray(), f);
        }
        if (y.Any(v => Array.IndexOf(Classes, v) < 0)) throw new ArgumentException($"y has labels outside the known classes [{string.Join(", ", Classes)}].");
        _rng ??= new RandomGenerator(RandomState ?? Environment.TickCount);
        for (int k = 0; k < _w.Length; k++)
            FitBinary(rows, Binary(y, k), y, k, _rng, 1, stopping: false);
        NIter += 1;
        return this;
    }

    private void Init(int[] classes, int features)
    {
        Classes = classes;
        int models = classes.Length == 2 ? 1 : classes.Length;
        _w = Enumerable.Range(0, models).Select(_ => new double[features]).ToArray();
        _b = new double[models];
    }

    /// <summary>+1 for the positive class of problem k (the larger label for two classes), -1 otherwise.</summary>
    private int[] Binary(int[] y, int k)
    {
        int positive = Classes.Length == 2 ? Classes[1] : Classes[k];
        return y.Select(v => v == positive ? 1 : -1).ToArray();
    }

    private static (double[][] Rows, int N, int F) Check(Tensor x, int[] y)
    {
        if (x.Rank != 2) throw new ArgumentException($"Perceptron needs x of shape (samples, features), got {x.Shape}.");
        if (x.Shape[0] != y.Length) throw new ArgumentException($"x has {x.Shape[0]} samples but y has {y.Length} labels.");
        int n = x.Shape[0], f = x.Shape[1];
        var s = x.AsSpan();
        var rows = new double[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new double[f];
            for (int j = 0; j < f; j++)
            {
                float v = s[i * f + j];
                if (!float.IsFinite(v)) throw new ArgumentException($"x contains {v} at sample {i}, feature {j}.");
                rows[i][j] = v;
            }
        }
        return (rows, n, f);
    }

    /// <summary>scikit-learn's _plain_sgd for one binary problem; returns the epochs run and whether it converged.</summary>
    private (int Epochs, bool Converged) FitBinary(double[][] rows, int[] yk, int[] labels, int k, RandomGenerator rng, int maxEpochs, bool stopping)
    {
        var w = _w[k];
        double wscale = 1.0, b = _b[k], u = 0.0;
        var q = new double[w.Length];
        int n = rows.Length;
        var train = Enumerable.Range(0, n).ToArray();
        int[] valid = [];
        if (EarlyStopping && stopping)
        {
            var (tr, va) = Dendrite.Data.Utils.TrainTestSplit(n, ValidationFraction, (int)(rng.NextUInt64() & int.MaxValue), stratify: yk);
            train = tr;
            valid = va;
        }
        double bestLoss = double.PositiveInfinity, bestScore = double.NegativeInfinity;
        int noImprovement = 0;
        double eta = Eta0;
        bool l2 = Penalty is "l2" or "elasticnet", l1 = Penalty is "l1" or "elasticnet";
        for (int epoch = 0; epoch < maxEpochs; epoch++)
        {
            if (Shuffle) rng.Shuffle(train.AsSpan());
            double sumLoss = 0;
            foreach (int i in train)
            {
                var x = rows[i];
                double p = wscale * Dot(w, x) + b;
                double z = p * yk[i];
                sumLoss += Math.Max(0, -z);
                double update = z <= 0 ? eta * yk[i] : 0.0;
                if (ClassWeight is not null) update *= SampleClassWeight(labels[i], yk[i], k);
                if (l2) wscale *= Math.Max(0, 1 - (1 - L1Ratio) * eta * Alpha);
                if (update != 0)
                {
                    for (int j = 0; j < w.Length; j++) w[j] += update * x[j] / wscale;
                    if (FitIntercept) b += update;
                }
                if (l1)
                {
                    u += L1Ratio * eta * Alpha;
                    for (int j = 0; j < w.Length; j++)
                    {
                        double old = w[j];
                        if (wscale * w[j] > 0) w[j] = Math.Max(0, w[j] - (u + q[j]) / wscale);
                        else if (wscale * w[j] < 0) w[j] = Math.Min(0, w[j] + (u - q[j]) / wscale);
                        q[j] += wscale * (w[j] - old);
                    }
                }
                if (wscale < 1e-9) { for (int j = 0; j < w.Length; j++) w[j] *= wscale; wscale = 1; }
            }
            if (!stopping || Tol is not double tol) continue;
            if (EarlyStopping)
            {
                double score = valid.Count(i => Math.Sign(wscale * Dot(w, rows[i]) + b) == yk[i]) / (double)Math.Max(1, valid.Length);
                noImprovement = score < bestScore + tol ? noImprovement + 1 : 0;
                bestScore = Math.Max(bestScore, score);
            }
            else
            {
                noImprovement = sumLoss > bestLoss - tol * train.Length ? noImprovement + 1 : 0;
                bestLoss = Math.Min(bestLoss, sumLoss);
            }
            if (noImprovement >= NIterNoChange)
            {
                Finish(k, w, wscale, b);
                return (epoch + 1, true);
            }
        }
        Finish(k, w, wscale, b);
        return (maxEpochs, !stopping || Tol is null);
    }

    /// <summary>scikit-learn's weights: with two classes each class's own; one-vs-all, the positive class's weight and 1 for the rest.</summary>
    private double SampleClassWeight(int label, int sign, int k)
    {
        if (Classes.Length > 2 && sign < 0) return 1.0;
        int cls = Classes.Length == 2 ? label : Classes[k];
        return ClassWeight!.TryGetValue(cls, out double cw) ? cw : 1.0;
    }

    private void Finish(int k, double[] w, double wscale, double b)
    {
        for (int j = 0; j < w.Length; j++) w[j] *= wscale;
        _b[k] = b;
    }

    private static double Dot(double[] w, double[] x)
    {
        double s = 0;
        for (int j = 0; j < w.Length; j++) s += w[j] * x[j];
        return s;
    }

    /// <summary>Signed distances to each hyperplane: (samples, 1) for two classes, else (samples, classes).</summary>
    public double[,] DecisionFunction(Tensor x)
    {
        if (_w.Length == 0) throw new InvalidOperationException("This Perceptron is not fitted yet: call Fit first.");
        if (x.Rank != 2 || x.Shape[1] != _w[0].Length)
            throw new ArgumentException($"Perceptron was fitted on {_w[0].Length} features; x has shape {x.Shape}.");
        int n = x.Shape[0], f = x.Shape[1];
        var s = x.AsSpan();
        var d = new double[n, _w.Length];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < _w.Length; k++)
            {
                double v = _b[k];
                for (int j = 0; j < f; j++) v += _w[k][j] * s[i * f + j];
                d[i, k] = v;
            }
        return d;
    }

    /// <summary>Signed distances for float[,] data.</summary>
    public double[,] DecisionFunction(float[,] x) => DecisionFunction(Tensor.FromArray(x));

    /// <summary>Predicted labels: the sign of the decision (two classes) or its argmax (one-vs-all).</summary>
    public int[] Predict(Tensor x)
    {
        var d = DecisionFunction(x);
        var result = new int[d.GetLength(0)];
        for (int i = 0; i < result.Length; i++)
        {
            if (_w.Length == 1) { result[i] = d[i, 0] > 0 ? Classes[1] : Classes[0]; continue; }
            int best = 0;
            for (int k = 1; k < _w.Length; k++) if (d[i, k] > d[i, best]) best = k;
            result[i] = Classes[best];
        }
        return result;
    }

    /// <summary>Predicted labels for float[,] data.</summary>
    public int[] Predict(float[,] x) => Predict(Tensor.FromArray(x));

    /// <summary>Mean accuracy on the data.</summary>
    public double Score(Tensor x, int[] y)
    {
        var p = Predict(x);
        if (p.Length != y.Length) throw new ArgumentException($"x has {p.Length} samples but y has {y.Length} labels.");
        return p.Zip(y).Count(t => t.First == t.Second) / (double)Math.Max(1, y.Length);
    }

    /// <summary>Mean accuracy for float[,] data.</summary>
    public double Score(float[,] x, int[] y) => Score(Tensor.FromArray(x), y);
}
