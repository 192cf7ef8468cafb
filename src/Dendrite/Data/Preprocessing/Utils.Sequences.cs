namespace Dendrite.Data;

public static partial class Utils
{
    /// <summary>
    /// Pads (or truncates) sequences to one length (Keras <c>pad_sequences</c>): a (count, maxlen) tensor filled with
    /// <paramref name="value"/>, each sequence placed at the end ("pre" padding) or the start ("post"); longer
    /// sequences lose their first ("pre" truncating) or last ("post") values. <paramref name="maxlen"/> defaults to the
    /// longest sequence. <paramref name="dtype"/> "int32"/"int64" casts values and padding to whole numbers (toward
    /// zero, as NumPy does); "float32" keeps them. The result is float32 either way.
    /// </summary>
    public static Tensor PadSequences(IReadOnlyList<IReadOnlyList<float>> sequences, int? maxlen = null, string dtype = "int32",
        string padding = "pre", string truncating = "pre", float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        bool whole = dtype switch
        {
            "int32" or "int64" or "int16" or "int8" => true,
            "float32" or "float64" => false,
            _ => throw new ArgumentException($"PadSequences: dtype must be \"int32\", \"int64\" or \"float32\", got \"{dtype}\".", nameof(dtype)),
        };
        if (padding is not ("pre" or "post")) throw new ArgumentException($"PadSequences: padding must be \"pre\" or \"post\", got \"{padding}\".", nameof(padding));
        if (truncating is not ("pre" or "post")) throw new ArgumentException($"PadSequences: truncating must be \"pre\" or \"post\", got \"{truncating}\".", nameof(truncating));
        if (maxlen is < 0) throw new ArgumentOutOfRangeException(nameof(maxlen), maxlen, $"PadSequences: maxlen must be >= 0, got {maxlen}.");
        for (int i = 0; i < sequences.Count; i++)
            if (sequences[i] is null) throw new ArgumentNullException(nameof(sequences), $"PadSequences: sequence {i} is null.");
        int len = maxlen ?? (sequences.Count == 0 ? 0 : sequences.Max(s => s.Count));
        float fill = whole ? MathF.Truncate(value) : value;
        var data = new float[checked(sequences.Count * len)];
        Array.Fill(data, fill);
        for (int r = 0; r < sequences.Count; r++)
        {
            var s = sequences[r];
            int n = Math.Min(s.Count, len);
            int from = truncating == "pre" ? s.Count - n : 0;           // s[-maxlen:] or s[:maxlen]
            int to = padding == "pre" ? r * len + len - n : r * len;    // x[idx, -len(trunc):] or x[idx, :len(trunc)]
            for (int i = 0; i < n; i++) data[to + i] = whole ? MathF.Truncate(s[from + i]) : s[from + i];
        }
        return Tensor.FromArray(data, sequences.Count, len);
    }

    /// <summary>
    /// <see cref="PadSequences(IReadOnlyList{IReadOnlyList{float}}, int?, string, string, string, float)"/> for integer
    /// sequences such as token ids (e.g. <c>int[][]</c> from <c>Imdb.LoadData</c>).
    /// </summary>
    public static Tensor PadSequences(IReadOnlyList<IReadOnlyList<int>> sequences, int? maxlen = null, string dtype = "int32",
        string padding = "pre", string truncating = "pre", float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var floats = sequences.Select(s => (IReadOnlyList<float>)(s?.Select(v => (float)v).ToArray()!)).ToList();
        return PadSequences(floats, maxlen, dtype, padding, truncating, value);
    }
}
