namespace Dendrite.Metrics;

/// <summary>
/// Area under the ROC curve from confusion counts at <paramref name="numThresholds"/> thresholds (Keras AUC: 0 - eps,
/// i/(n-1) for i in 1..n-2, 1 + eps; trapezoidal summation).
/// </summary>
public sealed class AUC(int numThresholds = 200, string name = "auc") : Metric(name)
{
    private readonly double[] _thresholds = MakeThresholds(numThresholds);
    private readonly double[] _tp = new double[numThresholds], _fp = new double[numThresholds], _tn = new double[numThresholds], _fn = new double[numThresholds];

    private static double[] MakeThresholds(int n)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(numThresholds), "AUC needs at least 2 thresholds.");
        var t = new double[n];
        t[0] = -1e-7;
        for (int i = 1; i < n - 1; i++) t[i] = (double)i / (n - 1);
        t[n - 1] = 1 + 1e-7;
        return t;
    }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        if (yTrue.Size != yPred.Size) throw new ArgumentException($"{Name}: y_true {yTrue.Shape} and y_pred {yPred.Shape} differ in size.");
        var (rows, width) = RowsOf(yPred);
        var p = yPred.AsSpan();
        var t = yTrue.AsSpan();
        for (int r = 0; r < rows; r++)
        {
            double w = WeightOf(sampleWeight, r);
            for (int i = r * width; i < (r + 1) * width; i++)
            {
                bool truth = t[i] > 0.5f;
                for (int k = 0; k < _thresholds.Length; k++)
                {
                    bool pred = p[i] > _thresholds[k];
                    if (pred) { if (truth) _tp[k] += w; else _fp[k] += w; }
                    else { if (truth) _fn[k] += w; else _tn[k] += w; }
                }
            }
        }
    }

    /// <inheritdoc/>
    public override float Result()
    {
        double area = 0;
        for (int k = 0; k < _thresholds.Length - 1; k++)
        {
            double tpr0 = Rate(_tp[k], _fn[k]), tpr1 = Rate(_tp[k + 1], _fn[k + 1]);
            double fpr0 = Rate(_fp[k], _tn[k]), fpr1 = Rate(_fp[k + 1], _tn[k + 1]);
            area += (fpr0 - fpr1) * (tpr0 + tpr1) / 2;
        }
        return (float)area;
    }

    private static double Rate(double hit, double miss) => hit + miss == 0 ? 0 : hit / (hit + miss);

    /// <inheritdoc/>
    public override void ResetState()
    {
        Array.Clear(_tp); Array.Clear(_fp); Array.Clear(_tn); Array.Clear(_fn);
    }

    /// <inheritdoc/>
    public override int StateSize => 4 * _thresholds.Length;

    /// <inheritdoc/>
    public override void WriteState(Span<double> state)
    {
        int n = _thresholds.Length;
        _tp.CopyTo(state); _fp.CopyTo(state[n..]); _tn.CopyTo(state[(2 * n)..]); _fn.CopyTo(state[(3 * n)..]);
    }

    /// <inheritdoc/>
    public override void ReadState(ReadOnlySpan<double> state)
    {
        int n = _thresholds.Length;
        state[..n].CopyTo(_tp); state.Slice(n, n).CopyTo(_fp); state.Slice(2 * n, n).CopyTo(_tn); state.Slice(3 * n, n).CopyTo(_fn);
    }

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new AUC(numThresholds, Name);
}
