namespace Dendrite.Data;

/// <summary>Scales each feature column to a range, [0, 1] by default (scikit-learn MinMaxScaler).</summary>
public sealed class MinMaxScaler(float min = 0f, float max = 1f)
{
    /// <summary>Per-column minimum seen by <see cref="Fit"/>.</summary>
    public float[] DataMin { get; private set; } = [];
    /// <summary>Per-column maximum seen by <see cref="Fit"/>.</summary>
    public float[] DataMax { get; private set; } = [];

    /// <summary>Learns each column's range; NaNs are ignored.</summary>
    public MinMaxScaler Fit(Tensor x)
    {
        var (n, f) = StandardScaler.Dims(x);
        DataMin = Enumerable.Repeat(float.PositiveInfinity, f).ToArray();
        DataMax = Enumerable.Repeat(float.NegativeInfinity, f).ToArray();
        var s = x.AsSpan();
        for (int r = 0; r < n; r++)
            for (int c = 0; c < f; c++)
            {
                float v = s[r * f + c];
                if (float.IsNaN(v)) continue;
                DataMin[c] = MathF.Min(DataMin[c], v);
                DataMax[c] = MathF.Max(DataMax[c], v);
            }
        return this;
    }

    private float Range(int c) => DataMax[c] - DataMin[c] is float r && r > 0 ? r : 1f;

    /// <summary>Maps each column's [min, max] to the target range.</summary>
    public Tensor Transform(Tensor x) => Apply(x, (v, c) => min + (v - DataMin[c]) / Range(c) * (max - min));

    /// <summary>The inverse mapping.</summary>
    public Tensor InverseTransform(Tensor x) => Apply(x, (v, c) => DataMin[c] + (v - min) / (max - min) * Range(c));

    /// <summary>Fit then Transform.</summary>
    public Tensor FitTransform(Tensor x) => Fit(x).Transform(x);

    private Tensor Apply(Tensor x, Func<float, int, float> f)
    {
        var (_, cols) = StandardScaler.Dims(x);
        if (cols != DataMin.Length) throw new ArgumentException($"MinMaxScaler was fitted on {DataMin.Length} features, got {cols}.");
        var d = x.ToArray();
        for (int i = 0; i < d.Length; i++) d[i] = f(d[i], i % cols);
        return Tensor.FromArray(d, x.Shape.ToArray());
    }
}
