using System.Text;

namespace Dendrite.Data;

/// <summary>
/// Turns strings into sequences of token ids (Keras <c>TextVectorization</c> with <c>output_mode="int"</c>):
/// standardize (default "lower_and_strip_punctuation": ASCII lowercase, then remove the characters of Python's
/// <c>string.punctuation</c>), split on whitespace, look each token up in a vocabulary learned by <see cref="Adapt"/>
/// (most frequent first; ties in reverse byte order of the tokens, as Keras's <c>np.lexsort</c> leaves them).
/// Id 0 is padding (""), id 1 the out-of-vocabulary token ("[UNK]"). Calling it returns a float32 tensor of ids,
/// padded with 0 (or truncated) at the end to <see cref="OutputSequenceLength"/>, else to the longest text.
/// </summary>
public sealed class TextVectorization
{
    /// <summary>Python's <c>string.punctuation</c>, which Keras's default strip regex removes.</summary>
    public const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static readonly byte[] IsPunctuation = MakePunctuationTable();
    private readonly List<string> _vocabulary = ["", "[UNK]"];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal) { [""] = 0, ["[UNK]"] = 1 };

    /// <summary>Creates the layer with Keras's defaults.</summary>
    /// <param name="maxTokens">Largest vocabulary size, the padding and OOV tokens included (null: no limit).</param>
    /// <param name="standardize">"lower_and_strip_punctuation", "lower", "strip_punctuation" or null (none).</param>
    /// <param name="split">"whitespace", "character" or null (each whole text is one token).</param>
    /// <param name="outputMode">Only "int" is supported.</param>
    /// <param name="outputSequenceLength">Pad or truncate every output to this length (null: the longest text of the call).</param>
    public TextVectorization(int? maxTokens = null, string? standardize = "lower_and_strip_punctuation", string? split = "whitespace",
        string outputMode = "int", int? outputSequenceLength = null)
    {
        if (maxTokens is < 3)
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, $"TextVectorization: maxTokens must be at least 3 (padding, OOV and one token), got {maxTokens}.");
        if (standardize is not (null or "lower_and_strip_punctuation" or "lower" or "strip_punctuation"))
            throw new ArgumentException($"TextVectorization: standardize must be \"lower_and_strip_punctuation\", \"lower\", \"strip_punctuation\" or null, got \"{standardize}\".", nameof(standardize));
        if (split is not (null or "whitespace" or "character"))
            throw new ArgumentException($"TextVectorization: split must be \"whitespace\", \"character\" or null, got \"{split}\".", nameof(split));
        if (outputMode != "int")
            throw new NotSupportedException($"TextVectorization: outputMode \"{outputMode}\" is not supported; only \"int\" is.");
        if (outputSequenceLength is <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputSequenceLength), outputSequenceLength, $"TextVectorization: outputSequenceLength must be positive, got {outputSequenceLength}.");
        MaxTokens = maxTokens;
        Standardize = standardize;
        Split = split;
        OutputMode = outputMode;
        OutputSequenceLength = outputSequenceLength;
    }

    /// <summary>Largest vocabulary size, padding and OOV tokens included (null: no limit).</summary>
    public int? MaxTokens { get; }
    /// <summary>The standardization ("lower_and_strip_punctuation", "lower", "strip_punctuation" or null).</summary>
    public string? Standardize { get; }
    /// <summary>How texts are split into tokens ("whitespace", "character" or null).</summary>
    public string? Split { get; }
    /// <summary>The output mode ("int").</summary>
    public string OutputMode { get; }
    /// <summary>The fixed output length, or null to pad to the longest text of each call.</summary>
    public int? OutputSequenceLength { get; }

    /// <summary>Number of ids in use (the vocabulary's length, padding and OOV included).</summary>
    public int VocabularySize => _vocabulary.Count;

    /// <summary>Learns the vocabulary from texts (replacing any earlier one).</summary>
    public TextVectorization Adapt(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            if (text is null) throw new ArgumentNullException(nameof(texts), "TextVectorization.Adapt: a text is null.");
            foreach (var token in Tokenize(text)) counts[token] = counts.GetValueOrDefault(token) + 1;
        }
        // np.lexsort((tokens, counts))[::-1]: count descending, then token bytes descending.
        var ordered = counts.Select(p => (Token: p.Key, Bytes: Encoding.UTF8.GetBytes(p.Key), Count: p.Value))
            .OrderByDescending(t => t.Count).ThenByDescending(t => t.Bytes, ByteOrder.Instance).Select(t => t.Token);
        if (MaxTokens is int max) ordered = ordered.Take(max - 2);
        _vocabulary.RemoveRange(2, _vocabulary.Count - 2);
        _ids.Clear();
        _ids[""] = 0;
        _ids["[UNK]"] = 1;
        foreach (var token in ordered)
        {
            if (_ids.ContainsKey(token)) continue;   // "" or "[UNK]" as a real token keeps its reserved id
            _ids[token] = _vocabulary.Count;
            _vocabulary.Add(token);
        }
        return this;
    }

    /// <summary>The vocabulary by id: "" (padding), "[UNK]" (out of vocabulary), then the learned tokens.</summary>
    public IReadOnlyList<string> GetVocabulary() => _vocabulary.ToArray();

    /// <summary>The ids of each text, as a (texts, length) float32 tensor.</summary>
    public Tensor Call(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var rows = new List<int[]>(texts.Count);
        for (int i = 0; i < texts.Count; i++)
        {
            if (texts[i] is null) throw new ArgumentNullException(nameof(texts), $"TextVectorization: text {i} is null.");
            rows.Add(Tokenize(texts[i]).Select(t => _ids.TryGetValue(t, out int id) ? id : 1).ToArray());
        }
        return Utils.PadSequences(rows, OutputSequenceLength ?? (rows.Count == 0 ? 0 : rows.Max(r => r.Length)), padding: "post", truncating: "post");
    }

    /// <summary>The ids of one text, as a (1, length) float32 tensor.</summary>
    public Tensor Call(string text) => Call([text]);

    /// <summary>The standardized text (Keras's <c>standardize</c> step).</summary>
    public string StandardizeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Standardize is null) return text;
        bool lower = Standardize != "strip_punctuation", strip = Standardize != "lower";
        var sb = new StringBuilder(text.Length);
        foreach (char ch in text)
        {
            if (strip && ch < 128 && IsPunctuation[ch] != 0) continue;
            sb.Append(lower && ch is >= 'A' and <= 'Z' ? (char)(ch + 32) : ch);   // tf.strings.lower: ASCII only
        }
        return sb.ToString();
    }

    /// <summary>The tokens of a text after standardizing and splitting.</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        string s = StandardizeText(text);
        return Split switch
        {
            null => [s],
            "character" => CharacterTokens(s),
            _ => s.Split([' ', '\t', '\n', '\v', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries),
        };
    }

    // tf.strings.unicode_split: one token per code point.
    private static string[] CharacterTokens(string s)
    {
        var tokens = new List<string>(s.Length);
        for (int i = 0; i < s.Length; i += char.IsSurrogatePair(s, i) ? 2 : 1)
            tokens.Add(char.IsSurrogatePair(s, i) ? s.Substring(i, 2) : s[i].ToString());
        return tokens.ToArray();
    }

    private static byte[] MakePunctuationTable()
    {
        var t = new byte[128];
        foreach (char c in Punctuation) t[c] = 1;
        return t;
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? a, byte[]? b) => a.AsSpan().SequenceCompareTo(b);
    }
}
