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
    /// How many numbers <see cref="WriteState"/> writes: the accumulated state, in a form that adds up across
    /// data-parallel replicas (Keras sums metric variables over replicas). 0 when the metric has no such form; then
    /// data-parallel training averages its results instead.
    /// </summary>
    public virtual int StateSize => 0;

    /// <summary>Writes the accumulated state (<see cref="StateSize"/> numbers).</summary>
    public virtual void WriteState(Span<double> state) { }

    /// <summary>Replaces the accumulated state by <paramref name="state"/> (as written by <see cref="WriteState"/>, possibly summed over replicas).</summary>
    public virtual void ReadState(ReadOnlySpan<double> state) { }

    /// <summary>
    /// A new metric with this one's configuration and name and nothing accumulated, so that evaluations running at the
    /// same time each keep their own state. Null when the metric cannot make one (the default for metrics defined
    /// outside the library): evaluations of a model using it then run one at a time.
    /// </summary>
    public virtual Metric? CloneEmpty() => null;

    /// <summary>A metric by Keras name, alias or class name (case-insensitive), with Keras defaults.</summary>
    public static Metric Get(string name) => name.ToLowerInvariant() switch
    {
        "accuracy" or "acc" => new Accuracy(name == "Accuracy" ? "accuracy" : name),
        "binary_accuracy" or "binaryaccuracy" => new BinaryAccuracy(),
        "categorical_accuracy" or "categoricalaccuracy" => new CategoricalAccuracy(),
        "sparse_categorical_accuracy" or "sparsecategoricalaccuracy" => new SparseCategoricalAccuracy(),
        "top_k_categorical_accuracy" or "topkcategoricalaccuracy" => new TopKCategoricalAccuracy(),
        "precision" => new Precision(),
        "recall" => new Recall(),
        "f1_score" or "f1" or "f1score" => new F1Score(),
        "auc" => new AUC(),
        "mae" or "mean_absolute_error" => new MeanAbsoluteError(name),
        "meanabsoluteerror" => new MeanAbsoluteError("mean_absolute_error"),
        "mse" or "mean_squared_error" => new MeanSquaredError(name),
        "meansquarederror" => new MeanSquaredError("mean_squared_error"),
        "rmse" or "root_mean_squared_error" => new RootMeanSquaredError(name),
        "rootmeansquarederror" => new RootMeanSquaredError("root_mean_squared_error"),
        _ => throw new ArgumentException($"Unknown metric '{name}'. Known: accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy, precision, recall, f1_score, auc, mae, mse, rmse, or their Keras class names (BinaryAccuracy, Precision, ...).", nameof(name)),
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
