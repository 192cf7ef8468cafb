namespace Dendrite.Data;

/// <summary>Standardises each feature column to mean 0, standard deviation 1 (scikit-learn StandardScaler, population std).</summary>
public sealed class StandardScaler
{
    /// <summary>Per-column means after <see cref="Fit"/>.</summary>
    public float[] Mean { get; private set; } = [];
    /// <summary>Per-column scales (standard deviations; 1 where a column is constant).</summary>
    public float[] Scale { get; private set; } = [];

    /// <summary>Learns the column statistics of a (samples, features) tensor; NaNs are ignored.</summary>
    public StandardScaler Fit(Tensor x)
    {
        var (n, f) = Dims(x);
        var mean = new double[f];
        var sq = new double[f];
        var count = new int[f];
        var s = x.AsSpan();
        for (int r = 0; r < n; r++)
            for (int c = 0; c < f; c++)
            {
                float v = s[r * f + c];
                if (float.IsNaN(v)) continue;
                mean[c] += v; sq[c] += (double)v * v; count[c]++;
            }
        Mean = new float[f];
        Scale = new float[f];
        for (int c = 0; c < f; c++)
        {
            double m = count[c] == 0 ? 0 : mean[c] / count[c];
            double var = count[c] == 0 ? 0 : Math.Max(0, sq[c] / count[c] - m * m);
            Mean[c] = (float)m;
            Scale[c] = var > 1e-24 ? (float)Math.Sqrt(var) : 1f;
        }
        return this;
    }

    /// <summary>(x - mean) / scale.</summary>
    public Tensor Transform(Tensor x) => Apply(x, (v, c) => (v - Mean[c]) / Scale[c]);

    /// <summary>x * scale + mean.</summary>
    public Tensor InverseTransform(Tensor x) => Apply(x, (v, c) => v * Scale[c] + Mean[c]);

    /// <summary>Fit then Transform.</summary>
    public Tensor FitTransform(Tensor x) => Fit(x).Transform(x);

    private Tensor Apply(Tensor x, Func<float, int, float> f)
    {
        var (n, cols) = Dims(x);
        if (cols != Mean.Length) throw new ArgumentException($"StandardScaler was fitted on {Mean.Length} features, got {cols}.");
        var d = x.ToArray();
        for (int i = 0; i < d.Length; i++) d[i] = f(d[i], i % cols);
        return Tensor.FromArray(d, x.Shape.ToArray());
    }

    internal static (int Rows, int Cols) Dims(Tensor x) =>
        x.Rank == 2 ? (x.Shape[0], x.Shape[1]) : throw new ArgumentException($"Scalers take (samples, features) tensors, got shape {x.Shape}.");
}
