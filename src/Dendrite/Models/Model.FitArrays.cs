using Dendrite.Callbacks;

namespace Dendrite.Models;

public partial class Model
{
    /// <summary>
    /// Trains on plain .NET data: <c>model.Fit(xTrain, yTrain, epochs: 10)</c> with <c>float[,]</c>, <c>double[,]</c>,
    /// <c>float[][]</c>, <c>float[]</c> (one feature per sample when the model's input is (1,)), <c>int[]</c>/<c>long[]</c>
    /// labels or tensors, in any mix (see <see cref="ArrayLike"/>). Same arguments and defaults as
    /// <see cref="Fit(Tensor, Tensor, int, int, int, IEnumerable{Callback}?, double, ValueTuple{Tensor, Tensor}?, bool, IReadOnlyDictionary{int, double}?, Tensor?, int, CancellationToken, Training.IDataParallel?)"/>.
    /// </summary>
    public History Fit(ArrayLike x, ArrayLike y, int batchSize = 32, int epochs = 1, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, double validationSplit = 0.0, (ArrayLike X, ArrayLike Y)? validationData = null,
        bool shuffle = true, IReadOnlyDictionary<int, double>? classWeight = null, ArrayLike? sampleWeight = null,
        int initialEpoch = 0, CancellationToken cancellationToken = default, Training.IDataParallel? distributed = null) =>
        NamingGiven(x, y, () => Fit(x.Tensor, y.Tensor, batchSize: batchSize, epochs: epochs, verbose: verbose, callbacks: callbacks,
            validationSplit: validationSplit, validationData: validationData is { } v ? (v.X.Tensor, v.Y.Tensor) : null,
            shuffle: shuffle, classWeight: classWeight, sampleWeight: sampleWeight?.Tensor, initialEpoch: initialEpoch,
            cancellationToken: cancellationToken, distributed: distributed));

    /// <summary>Loss and metrics on plain .NET data (see <see cref="ArrayLike"/>): <c>[loss, metric1, ...]</c>.</summary>
    public float[] Evaluate(ArrayLike x, ArrayLike y, int batchSize = 32, int verbose = 1, ArrayLike? sampleWeight = null, IEnumerable<Callback>? callbacks = null) =>
        NamingGiven(x, y, () => Evaluate(x.Tensor, y.Tensor, batchSize: batchSize, verbose: verbose, sampleWeight: sampleWeight?.Tensor, callbacks: callbacks));

    /// <summary>Loss and metrics by name on plain .NET data (see <see cref="ArrayLike"/>).</summary>
    public Dictionary<string, float> EvaluateToDictionary(ArrayLike x, ArrayLike y, int batchSize = 32, int verbose = 1, ArrayLike? sampleWeight = null, IEnumerable<Callback>? callbacks = null) =>
        NamingGiven(x, y, () => EvaluateToDictionary(x.Tensor, y.Tensor, batchSize: batchSize, verbose: verbose, sampleWeight: sampleWeight?.Tensor, callbacks: callbacks));

    /// <summary>Model outputs for plain .NET data (see <see cref="ArrayLike"/>): <c>model.Predict(new float[] { 12, 14 })</c>.</summary>
    public Tensor Predict(ArrayLike x, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null) =>
        NamingGiven(x, null, () => Predict(x.Tensor, batchSize: batchSize, verbose: verbose, callbacks: callbacks));

    /// <summary>One optimizer step on one batch of plain .NET data; returns [loss, metrics...] for that batch.</summary>
    public float[] TrainOnBatch(ArrayLike x, ArrayLike y, ArrayLike? sampleWeight = null, IReadOnlyDictionary<int, double>? classWeight = null) =>
        NamingGiven(x, y, () => TrainOnBatch(x.Tensor, y.Tensor, sampleWeight: sampleWeight?.Tensor, classWeight: classWeight));

    /// <summary>Runs <paramref name="run"/>; a plain ArgumentException (a bad shape or length) gets what was given appended.</summary>
    private static T NamingGiven<T>(ArrayLike x, ArrayLike? y, Func<T> run)
    {
        try { return run(); }
        catch (ArgumentException e) when (e.GetType() == typeof(ArgumentException))
        {
            throw new ArgumentException($"{e.Message} (given: x {x.Description}{(y is { } yy ? $", y {yy.Description}" : "")})", e);
        }
    }
}
