namespace Dendrite.Data;

public static partial class Utils
{
    /// <summary>
    /// Splits plain .NET data (<c>float[,]</c>, <c>double[,]</c>, <c>int[]</c> labels, ... see <see cref="ArrayLike"/>) into
    /// train and test tensors; see <see cref="TrainTestSplit(Tensor, Tensor, double, int?, bool)"/>.
    /// </summary>
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) TrainTestSplit(ArrayLike x, ArrayLike y, double testSize = 0.25, int? seed = null, bool stratify = false)
    {
        try { return TrainTestSplit(x.Tensor, y.Tensor, testSize, seed, stratify); }
        catch (ArgumentException e) when (e.GetType() == typeof(ArgumentException))
        {
            throw new ArgumentException($"TrainTestSplit: {e.Message} (given: x {x.Description}, y {y.Description})", e);
        }
    }
}
