using System.Text.Json.Nodes;

namespace Dendrite.Losses;

/// <summary>
/// A Keras loss: per-sample values from <see cref="Compute"/>, reduced "sum_over_batch_size" (weighted sum divided by
/// the number of values) by <see cref="Call"/>. Strings convert implicitly (<c>loss: "mse"</c>).
/// </summary>
public abstract class Loss
{
    internal const float Epsilon = 1e-7f;

    /// <summary>The Keras name (e.g. "mean_squared_error").</summary>
    public abstract string Name { get; }

    /// <summary>The Keras class name (e.g. "MeanSquaredError").</summary>
    public abstract string ClassName { get; }

    /// <summary>Per-sample losses, usually of shape (batch,).</summary>
    public abstract Tensor Compute(Tensor yTrue, Tensor yPred);

    /// <summary>The scalar loss: sum(values * sampleWeight) / number of values.</summary>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        var values = Compute(yTrue, yPred);
        if (sampleWeight is not null)
        {
            if (sampleWeight.Size != values.Shape[0] && sampleWeight.Shape != values.Shape)
                throw new ArgumentException($"{ClassName}: sample weights of shape {sampleWeight.Shape} do not match the {values.Shape[0]} samples.");
            var w = sampleWeight;
            if (sampleWeight.Shape != values.Shape)
            {
                Span<int> dims = stackalloc int[values.Rank];
                dims.Fill(1);
                dims[0] = values.Shape[0];
                w = Ops.Reshape(sampleWeight, new Shape(dims));
            }
            values = Ops.Mul(values, w);
        }
        return Ops.ScaledSum(values, 1f / Math.Max(1, values.Size));
    }

    /// <summary>The Keras config.</summary>
    public virtual JsonObject GetConfig() => new() { ["name"] = Name, ["reduction"] = "sum_over_batch_size" };

    /// <summary>Looks a loss up by its Keras name, alias or class name (<c>"binary_crossentropy"</c>, <c>"BinaryCrossentropy"</c>), case-insensitively.</summary>
    public static Loss Get(string name) => name.ToLowerInvariant() switch
    {
        "mse" or "mean_squared_error" or "meansquarederror" => new MeanSquaredError(),
        "mae" or "mean_absolute_error" or "meanabsoluteerror" => new MeanAbsoluteError(),
        "mape" or "mean_absolute_percentage_error" or "meanabsolutepercentageerror" => new MeanAbsolutePercentageError(),
        "msle" or "mean_squared_logarithmic_error" or "meansquaredlogarithmicerror" => new MeanSquaredLogarithmicError(),
        "huber" or "huber_loss" => new Huber(),
        "log_cosh" or "logcosh" => new LogCosh(),
        "binary_crossentropy" or "bce" or "binarycrossentropy" => new BinaryCrossentropy(),
        "categorical_crossentropy" or "cce" or "categoricalcrossentropy" => new CategoricalCrossentropy(),
        "sparse_categorical_crossentropy" or "sparsecategoricalcrossentropy" => new SparseCategoricalCrossentropy(),
        "hinge" => new Hinge(),
        "kl_divergence" or "kld" or "kullback_leibler_divergence" or "kldivergence" => new KLDivergence(),
        _ => throw new ArgumentException($"Unknown loss '{name}'. Known: mse, mae, mape, msle, huber, log_cosh, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, hinge, kl_divergence, or their Keras class names (MeanSquaredError, BinaryCrossentropy, ...).", nameof(name)),
    };

    /// <summary>Looks a loss up by name.</summary>
    public static implicit operator Loss(string name) => Get(name);

    /// <summary>Makes y_true and y_pred the same shape the way Keras does: a trailing axis of 1 is added or dropped.</summary>
    internal (Tensor YTrue, Tensor YPred) Align(Tensor yTrue, Tensor yPred)
    {
        if (yTrue.Shape == yPred.Shape) return (yTrue, yPred);
        if (yTrue.Rank == yPred.Rank + 1 && yTrue.Shape[^1] == 1) yTrue = Ops.Reshape(yTrue, yPred.Shape);
        else if (yPred.Rank == yTrue.Rank + 1 && yPred.Shape[^1] == 1) yTrue = Ops.Reshape(yTrue, yPred.Shape);
        if (yTrue.Shape != yPred.Shape)
            throw new ArgumentException($"{ClassName}: y_true has shape {yTrue.Shape} but y_pred has shape {yPred.Shape}; they must match.");
        return (yTrue, yPred);
    }

    /// <summary>Mean over the last axis (rank-0 and rank-1 values are kept per sample).</summary>
    internal static Tensor MeanLastAxis(Tensor x) => x.Rank <= 1 ? x : Ops.Mean(x, -1);
}
