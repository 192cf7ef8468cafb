namespace Dendrite.Metrics;

/// <summary>
/// A streaming Keras metric: <see cref="UpdateState"/> per batch, <see cref="Result"/> for the epoch so far,
/// <see cref="ResetState"/> between epochs. Strings convert (<c>metrics: ["accuracy"]</c>).
/// </summary>
public abstract class Metric
{
    /// <summary>Creates a metric with its display name (the key in History and in the progress bar).</summary>
    protected Metric(string name) => Name = name;

    /// <summary>The display name.</summary>
    public string Name { get; set; }

    /// <summary>Accumulates one batch; sample weights (one per sample) are optional.</summary>
    public abstract void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null);

    /// <summary>The value over everything accumulated since the last reset.</summary>
    public abstract float Result();

    /// <summary>Forgets everything accumulated.</summary>
    public abstract void ResetState();

    /// <summary>
    /// A new metric with this one's configuration and name and nothing accumulated, so that evaluations running at the
    /// same time each keep their own state. Null when the metric cannot make one (the default for metrics defined
    /// outside the library): evaluations of a model using it then run one at a time.
    /// </summary>
    public virtual Metric? CloneEmpty() => null;

    /// <summary>A metric by Keras name or alias, with Keras defaults.</summary>
    public static Metric Get(string name) => name.ToLowerInvariant() switch
    {
        "accuracy" or "acc" => new Accuracy(name),
        "binary_accuracy" => new BinaryAccuracy(),
        "categorical_accuracy" => new CategoricalAccuracy(),
        "sparse_categorical_accuracy" => new SparseCategoricalAccuracy(),
        "top_k_categorical_accuracy" => new TopKCategoricalAccuracy(),
        "precision" => new Precision(),
        "recall" => new Recall(),
        "f1_score" or "f1" => new F1Score(),
        "auc" => new AUC(),
        "mae" or "mean_absolute_error" => new MeanAbsoluteError(name),
        "mse" or "mean_squared_error" => new MeanSquaredError(name),
        "rmse" or "root_mean_squared_error" => new RootMeanSquaredError(name),
        _ => throw new ArgumentException($"Unknown metric '{name}'. Known: accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy, precision, recall, f1_score, auc, mae, mse, rmse.", nameof(name)),
    };

    /// <summary>Looks a metric up by name.</summary>
    public static implicit operator Metric(string name) => Get(name);

    /// <summary>Rows of a (batch, ...) tensor: (number of rows, values per row).</summary>
    internal static (int Rows, int Width) RowsOf(Tensor t) => t.Rank == 0 ? (1, 1) : (t.Shape[0], t.Size / Math.Max(1, t.Shape[0]));

    internal static float WeightOf(Tensor? sampleWeight, int row) => sampleWeight is null ? 1f : sampleWeight.AsSpan()[row];

    internal static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }
}
