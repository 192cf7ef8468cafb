namespace Dendrite.Metrics;

/// <summary>
/// F1 = 2 tp / (2 tp + fp + fn) per class, from predictions thresholded at <paramref name="threshold"/> (or, when
/// null, the row's maximum marked as the prediction, as Keras does), averaged "macro" (default here, as the progress bar
/// needs a scalar; Keras's default returns one value per class), "micro" or "weighted" (by support).
/// </summary>
public sealed class F1Score(string average = "macro", double? threshold = null, string name = "f1_score") : Metric(name)
{
    private double[] _tp = [], _fp = [], _fn = [];

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        if (yTrue.Size != yPred.Size) throw new ArgumentException($"{Name}: y_true {yTrue.Shape} and y_pred {yPred.Shape} differ in size.");
        var (rows, classes) = RowsOf(yPred);
        if (_tp.Length == 0) { _tp = new double[classes]; _fp = new double[classes]; _fn = new double[classes]; }
        var p = yPred.AsSpan();
        var t = yTrue.AsSpan();
        for (int r = 0; r < rows; r++)
        {
            double w = WeightOf(sampleWeight, r);
            var row = p.Slice(r * classes, classes);
            int best = ArgMax(row);
            for (int c = 0; c < classes; c++)
            {
                bool pred = threshold is double th ? row[c] > th : (classes == 1 ? row[c] > 0.5f : c == best);
                bool truth = t[r * classes + c] > 0.5f;
                if (pred && truth) _tp[c] += w; else if (pred) _fp[c] += w; else if (truth) _fn[c] += w;
            }
        }
    }

    /// <inheritdoc/>
    public override float Result()
    {
        if (_tp.Length == 0) return 0f;
        static double F1(double tp, double fp, double fn) => 2 * tp + fp + fn == 0 ? 0 : 2 * tp / (2 * tp + fp + fn);
        return average switch
        {
            "micro" => (float)F1(_tp.Sum(), _fp.Sum(), _fn.Sum()),
            "weighted" => (float)(Enumerable.Range(0, _tp.Length).Sum(c => F1(_tp[c], _fp[c], _fn[c]) * (_tp[c] + _fn[c])) / Math.Max(1e-12, _tp.Sum() + _fn.Sum())),
            _ => (float)Enumerable.Range(0, _tp.Length).Average(c => F1(_tp[c], _fp[c], _fn[c])),
        };
    }

    /// <inheritdoc/>
    public override void ResetState() { _tp = []; _fp = []; _fn = []; }

    /// <inheritdoc/>
    public override int StateSize => 3 * _tp.Length;

    /// <inheritdoc/>
    public override void WriteState(Span<double> state)
    {
        int n = _tp.Length;
        _tp.CopyTo(state); _fp.CopyTo(state[n..]); _fn.CopyTo(state[(2 * n)..]);
    }

    /// <inheritdoc/>
    public override void ReadState(ReadOnlySpan<double> state)
    {
        int n = state.Length / 3;
        if (_tp.Length != n) { _tp = new double[n]; _fp = new double[n]; _fn = new double[n]; }
        state[..n].CopyTo(_tp); state.Slice(n, n).CopyTo(_fp); state.Slice(2 * n, n).CopyTo(_fn);
    }

    /// <inheritdoc/>
    public override Metric? CloneEmpty() => new F1Score(average, threshold, Name);
}
