namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>
    /// The elements as int32, row-major, truncated toward zero as NumPy's <c>astype(np.int32)</c> does
    /// (<c>(yProba &gt; 0.5f).ToInt32Array()</c> gives 0/1 labels). NaN, infinities and values outside the int32 range throw.
    /// </summary>
    public int[] ToInt32Array()
    {
        var s = AsSpan();
        var r = new int[s.Length];
        for (int i = 0; i < s.Length; i++) r[i] = ToInt32(s[i], i);
        return r;
    }

    /// <summary>A rank-2 tensor as a 2-D int32 array, truncated toward zero (see <see cref="ToInt32Array"/>).</summary>
    public int[,] ToInt32Array2D()
    {
        if (Rank != 2) throw new InvalidOperationException($"ToInt32Array2D needs a rank-2 tensor, this one has shape {Shape}.");
        var r = new int[Shape[0], Shape[1]];
        var s = AsSpan();
        for (int i = 0; i < Shape[0]; i++)
            for (int j = 0; j < Shape[1]; j++) r[i, j] = ToInt32(s[i * Shape[1] + j], i * Shape[1] + j);
        return r;
    }

    /// <summary>
    /// Class labels from predicted probabilities, one per sample: a single column ((n,) or (n, 1)) is thresholded
    /// (1 where p &gt; threshold), several columns take the argmax (Keras: <c>(p &gt; 0.5).astype(int)</c> or <c>argmax(p, -1)</c>).
    /// </summary>
    public int[] ToLabels(double threshold = 0.5)
    {
        int n = Rank == 0 ? 1 : Shape[0];
        int width = Size / Math.Max(1, n);
        var p = AsSpan();
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = width == 1 ? (p[i] > threshold ? 1 : 0) : Metrics.Metric.ArgMax(p.Slice(i * width, width));
        return labels;
    }

    private int ToInt32(float v, int flat)
    {
        if (!float.IsFinite(v) || v >= 2147483648f || v < -2147483648f)
            throw new InvalidOperationException($"ToInt32Array: element {flat} of the tensor with shape {Shape} is {v}, which is not an int32.");
        return (int)v;
    }
}
