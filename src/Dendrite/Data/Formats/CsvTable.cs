using System.Globalization;
using System.Text;

namespace Dendrite.Data;

/// <summary>
/// A table read from delimited text: column names and string cells. Numeric columns become floats (missing values
/// such as "?" become NaN), categorical ones are one-hot encoded by <see cref="ToTensor"/>.
/// </summary>
public sealed class CsvTable
{
    private readonly List<string[]> _rows;

    private CsvTable(string[] columns, List<string[]> rows) { Columns = columns; _rows = rows; }

    /// <summary>Column names (from the header, or "0", "1", ... without one).</summary>
    public string[] Columns { get; }

    /// <summary>Number of data rows.</summary>
    public int RowCount => _rows.Count;

    /// <summary>The cells of one row.</summary>
    public IReadOnlyList<string> Row(int index) => _rows[index];

    /// <summary>Reads a file; <paramref name="skipLines"/> drops leading lines (adult.test starts with a comment line).</summary>
    public static CsvTable Read(string path, bool header = true, char delimiter = ',', string[]? columnNames = null, int skipLines = 0)
    {
        using var r = new StreamReader(path);
        try { return Read(r, header, delimiter, columnNames, skipLines); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }

    /// <summary>Reads delimited text. Cells are trimmed; quoted cells may contain the delimiter; blank lines are skipped.</summary>
    public static CsvTable Read(TextReader reader, bool header = true, char delimiter = ',', string[]? columnNames = null, int skipLines = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(skipLines);
        for (int i = 0; i < skipLines; i++) reader.ReadLine();
        string[]? columns = columnNames;
        var rows = new List<string[]>();
        string? line;
        int lineNo = skipLines;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            var cells = Split(line, delimiter);
            if (header && columns is null) { columns = cells; continue; }
            if (header && columnNames is not null && rows.Count == 0 && lineNo == skipLines + 1) continue;
            columns ??= Enumerable.Range(0, cells.Length).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
            if (cells.Length != columns.Length)
                throw new InvalidDataException($"line {lineNo} has {cells.Length} cells, but there are {columns.Length} columns.");
            rows.Add(cells);
        }
        return new CsvTable(columns ?? [], rows);
    }

    private static string[] Split(string line, char delimiter)
    {
        var cells = new List<string>();
        var cur = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '"') { if (quoted && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; } else quoted = !quoted; }
            else if (c == delimiter && !quoted) { cells.Add(cur.ToString().Trim()); cur.Clear(); }
            else cur.Append(c);
        }
        cells.Add(cur.ToString().Trim());
        return cells.ToArray();
    }

    /// <summary>The index of a column by name.</summary>
    public int IndexOf(string column)
    {
        int i = Array.IndexOf(Columns, column);
        return i >= 0 ? i : throw new ArgumentException($"No column '{column}'. Columns: {string.Join(", ", Columns)}.", nameof(column));
    }

    /// <summary>A column as strings.</summary>
    public string[] Strings(string column)
    {
        int c = IndexOf(column);
        return _rows.Select(r => r[c]).ToArray();
    }

    /// <summary>A column as floats; cells equal to <paramref name="missing"/> (or empty) become NaN, other non-numbers throw.</summary>
    public float[] Numbers(string column, string missing = "?")
    {
        int c = IndexOf(column);
        var result = new float[_rows.Count];
        for (int i = 0; i < _rows.Count; i++)
        {
            string cell = _rows[i][c];
            if (cell.Length == 0 || cell == missing) result[i] = float.NaN;
            else if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]))
                throw new InvalidDataException($"Column '{column}', row {i}: '{cell}' is not a number.");
        }
        return result;
    }

    /// <summary>The rows for which <paramref name="keep"/> is true.</summary>
    public CsvTable Where(Func<IReadOnlyList<string>, bool> keep) => new(Columns, _rows.Where(r => keep(r)).ToList());

    /// <summary>Drops rows with a missing value (<paramref name="missing"/> or empty) in any column.</summary>
    public CsvTable DropMissing(string missing = "?") => Where(r => r.All(c => c.Length > 0 && c != missing));

    /// <summary>
    /// A float tensor (rows, features): numeric columns as they are, then each categorical column one-hot encoded
    /// (with <paramref name="encoder"/> when given, so train and test share categories; otherwise one fitted here).
    /// </summary>
    public Tensor ToTensor(string[] numericColumns, string[]? categoricalColumns = null, OneHotEncoder? encoder = null)
    {
        var parts = new List<Tensor>();
        if (numericColumns.Length > 0)
        {
            var cols = numericColumns.Select(c => Numbers(c)).ToArray();
            var data = new float[RowCount * cols.Length];
            for (int r = 0; r < RowCount; r++)
                for (int c = 0; c < cols.Length; c++) data[r * cols.Length + c] = cols[c][r];
            parts.Add(Tensor.FromArray(data, RowCount, cols.Length));
        }
        if (categoricalColumns is { Length: > 0 })
        {
            var cats = categoricalColumns.Select(Strings).ToArray();
            var rows = Enumerable.Range(0, RowCount).Select(r => cats.Select(c => c[r]).ToArray()).ToArray();
            encoder ??= new OneHotEncoder().Fit(rows);
            parts.Add(encoder.Transform(rows));
        }
        if (parts.Count == 0) throw new ArgumentException("ToTensor needs at least one column.");
        return parts.Count == 1 ? parts[0] : Ops.Concat(parts, 1);
    }
}
