namespace Dendrite.Training.Compiled;

/// <summary>One layer of a compiled step, on (rows, width) views of buffers it owns.</summary>
internal abstract class Stage
{
    /// <summary>Values per sample this stage outputs.</summary>
    public abstract int Width { get; }

    /// <summary>The training forward's output for input <paramref name="x"/> (may be <paramref name="x"/> itself);
    /// prediction goes through <see cref="Predict"/>.</summary>
    public abstract Tensor Forward(Tensor x, int rows);

    /// <summary>
    /// From the forward's input and output and the output's gradient <paramref name="dy"/> (which it may overwrite),
    /// writes the weights' gradients and returns the input's gradient (null when <paramref name="needInputGrad"/> is false).
    /// </summary>
    public abstract Tensor? Backward(Tensor x, Tensor y, Tensor dy, int rows, bool needInputGrad);

    /// <summary>
    /// The prediction output for <paramref name="x"/> in lane <paramref name="lane"/>'s own buffers, so that lanes can run
    /// at the same time; by default the input itself (stages that pass through when predicting).
    /// </summary>
    public virtual Tensor Predict(Tensor x, int rows, int lane) =>
        PassThroughWhenPredicting ? x : throw new NotSupportedException($"{GetType().Name} has no prediction lane.");

    /// <summary>Makes lanes 0 .. <paramref name="lanes"/> - 1 available to <see cref="Predict"/>.</summary>
    public virtual void EnsureLanes(int lanes) { }

    /// <summary>Multiply-adds per sample (what a lane must have enough of to be worth starting).</summary>
    public virtual long MacsPerRow => 0;

    /// <summary>Prepares a prediction over this many rows in all (packs weights where that pays).</summary>
    public virtual void BeginPredict(int totalRows) { }

    /// <summary>Releases what <see cref="BeginPredict"/> prepared.</summary>
    public virtual void EndPredict() { }

    /// <summary>True when the stage passes its input through unchanged at prediction (Flatten, Dropout).</summary>
    public virtual bool PassThroughWhenPredicting => false;

    /// <summary>Decides, once per Fit, which weights receive gradients (those in the trainable list).</summary>
    public virtual void Prepare(IReadOnlyCollection<Tensor> trainable) { }

    /// <summary>The weights whose gradients <see cref="Backward"/> writes (set by <see cref="Prepare"/>).</summary>
    public virtual Tensor[] GradientWeights => [];
}
