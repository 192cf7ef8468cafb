using Dendrite.Losses;
using Dendrite.Training;

namespace Dendrite.Models;

public partial class Model
{
    /// <summary>Batches of <paramref name="batchSize"/> needed for <paramref name="count"/> samples (64-bit: int.MaxValue is one batch).</summary>
    internal static int StepCount(int count, int batchSize) => (int)(((long)count + batchSize - 1) / batchSize);

    /// <summary>Throws unless every class weight is finite and non-negative (a NaN weight would poison every step).</summary>
    private static void CheckClassWeights(IReadOnlyDictionary<int, double>? classWeight, string what)
    {
        if (classWeight is null) return;
        foreach (var (cls, w) in classWeight)
            if (!double.IsFinite(w) || w < 0)
                throw new ArgumentOutOfRangeException(nameof(classWeight), w, $"{what}: the weight of class {cls} must be finite and non-negative, got {w}.");
    }

    /// <summary>
    /// With a sparse categorical loss, checks every label before any weight changes: an integer class index below the
    /// output's width, reported with the sample index in the data as given (not a shuffled batch position).
    /// </summary>
    private void CheckSparseLabels(DataSet data, string what, string outcome = "nothing was trained")
    {
        if (Loss is not SparseCategoricalCrossentropy || data.Y is null) return;
        for (int o = 0; o < data.Y.Count && o < Outputs.Count; o++)
        {
            var shape = Outputs[o].Shape;
            if (shape.Rank == 0) continue;
            int classes = shape[^1];
            var y = data.Y[o];
            int width = y.Size / Math.Max(1, data.Count);
            if (width != 1) continue;   // the loss reports the shape mismatch
            var labels = y.AsSpan();
            for (int i = 0; i < labels.Length; i++)
            {
                float v = labels[i];
                if (v != MathF.Floor(v) || v < 0 || v >= classes)
                    throw new ArgumentException(
                        $"{what}: {(data.Y.Count == 1 ? "y" : $"y[{o}]")} has label {v} at sample {i}, not a class index in 0..{classes - 1} " +
                        $"(sparse_categorical_crossentropy on an output of {classes} classes); {outcome}.", nameof(y));
            }
        }
    }

    /// <summary>Throws when a step would see no sample.</summary>
    private static void CheckNotEmpty(DataSet data, string what)
    {
        if (data.Count == 0) throw new ArgumentException($"{what}: x has 0 samples; at least one is needed.", "x");
    }
}
