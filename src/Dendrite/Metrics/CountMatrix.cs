using System.Globalization;
using System.Text;

namespace Dendrite.Metrics;

/// <summary>
/// A matrix of counts (what <see cref="Scores.ConfusionMatrix"/> returns: rows are true labels, columns predicted ones)
/// that prints its values as NumPy does (<c>[[3 1]
///  [0 4]]</c>), indexes like a 2-D array and converts to <c>int[,]</c>.
/// </summary>
public sealed class CountMatrix
{
    private readonly int[,] _counts;

    /// <summary>Wraps a copy of the counts, with the labels of the rows and columns.</summary>
    public CountMatrix(int[,] counts, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(labels);
        _counts = (int[,])counts.Clone();
        Labels = (int[])labels.Clone();
    }

    /// <summary>The count in row <paramref name="row"/> (true label) and column <paramref name="column"/> (predicted label).</summary>
    public int this[int row, int column] => _counts[row, column];

    /// <summary>Number of rows.</summary>
    public int Rows => _counts.GetLength(0);

    /// <summary>Number of columns.</summary>
    public int Columns => _counts.GetLength(1);

    /// <summary>The length of dimension 0 (rows) or 1 (columns), as on a 2-D array.</summary>
    public int GetLength(int dimension) => _counts.GetLength(dimension);

    /// <summary>The class label of each row and column, in order.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>A copy as a 2-D array.</summary>
    public int[,] ToArray() => (int[,])_counts.Clone();

    /// <summary>A copy as a 2-D array.</summary>
    public static implicit operator int[,](CountMatrix m) => m.ToArray();

    /// <summary>NumPy's text for an int matrix: right-aligned columns, <c>[[3 1]\n [0 4]]</c>.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        int width = 1;
        foreach (int v in _counts) width = Math.Max(width, v.ToString(inv).Length);
        var sb = new StringBuilder("[");
        for (int r = 0; r < Rows; r++)
        {
            if (r > 0) sb.Append("\n ");
            sb.Append('[');
            for (int c = 0; c < Columns; c++)
            {
                if (c > 0) sb.Append(' ');
                sb.Append(_counts[r, c].ToString(inv).PadLeft(width));
            }
            sb.Append(']');
        }
        return sb.Append(']').ToString();
    }
}
