using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>
/// A (semi-)orthogonal matrix times <paramref name="gain"/> (Keras Orthogonal): a normal matrix flattened to
/// (prod(shape[:-1]), shape[-1]) is orthonormalised (QR via modified Gram-Schmidt, signs fixed by R's diagonal).
/// </summary>
public sealed class Orthogonal(float gain = 1f, int? seed = null) : Initializer
{
    /// <inheritdoc/>
    public override string ClassName => "Orthogonal";

    /// <inheritdoc/>
    public override Tensor Create(Shape shape)
    {
        if (shape.Rank < 2) throw new ArgumentException($"Orthogonal needs a shape of rank 2 or more, got {shape}.");
        int cols = shape[^1], rows = shape.Size / Math.Max(cols, 1);
        bool transpose = rows < cols;
        int n = transpose ? cols : rows, m = transpose ? rows : cols; // orthonormal columns of an n x m matrix, n >= m
        var normal = Tensor.RandomNormal([n, m], 0f, 1f, seed).ToArray();
        var g = new double[normal.Length];
        for (int i = 0; i < g.Length; i++) g[i] = normal[i];
        for (int j = 0; j < m; j++)
        {
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += g[i * m + j] * g[i * m + k];
                for (int i = 0; i < n; i++) g[i * m + j] -= dot * g[i * m + k];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += g[i * m + j] * g[i * m + j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) g[i * m + j] /= norm;
        }
        var result = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                result[r * cols + c] = (float)(gain * (transpose ? g[c * m + r] : g[r * m + c]));
        return Tensor.FromArray(result, shape.ToArray());
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig() => new() { ["gain"] = gain, ["seed"] = seed };
}
