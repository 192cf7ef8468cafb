namespace Dendrite.Data;

/// <summary>
/// One-hot encodes categorical columns (scikit-learn OneHotEncoder): categories are learned per column by
/// <see cref="Fit"/> (sorted); unknown categories at transform time encode as all zeros (handle_unknown="ignore").
/// </summary>
public sealed class OneHotEncoder
{
    /// <summary>The categories of each column, sorted.</summary>
    public IReadOnlyList<string[]> Categories { get; private set; } = [];

    /// <summary>Total number of output columns.</summary>
    public int OutputWidth => Categories.Sum(c => c.Length);

    /// <summary>Learns the categories from rows of cells (one cell per categorical column).</summary>
    public OneHotEncoder Fit(IReadOnlyList<string[]> rows)
    {
        int cols = rows.Count == 0 ? 0 : rows[0].Length;
        Categories = Enumerable.Range(0, cols).Select(c => rows.Select(r => r[c]).Distinct().Order(StringComparer.Ordinal).ToArray()).ToList();
        return this;
    }

    /// <summary>A (rows, OutputWidth) tensor of zeros and ones.</summary>
    public Tensor Transform(IReadOnlyList<string[]> rows)
    {
        int width = OutputWidth;
        var data = new float[rows.Count * width];
        var lookup = Categories.Select(c => c.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i)).ToArray();
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length != Categories.Count) throw new ArgumentException($"Row {r} has {rows[r].Length} cells; the encoder was fitted on {Categories.Count} columns.");
            int offset = 0;
            for (int c = 0; c < Categories.Count; c++)
            {
                if (lookup[c].TryGetValue(rows[r][c], out int k)) data[r * width + offset + k] = 1f;
                offset += Categories[c].Length;
            }
        }
        return Tensor.FromArray(data, rows.Count, width);
    }

    /// <summary>Fit then Transform.</summary>
    public Tensor FitTransform(IReadOnlyList<string[]> rows) => Fit(rows).Transform(rows);
}
