using System.Text.Json;
using Dendrite.Data;

namespace Dendrite.Datasets;

/// <summary>
/// The IMDB movie-review sentiment data set as Keras loads it (<c>keras.datasets.imdb</c>): 25,000 training and
/// 25,000 test reviews as sequences of word ids (most frequent word = 1 before <c>indexFrom</c> is added), labels
/// 0 (negative) / 1 (positive). Reads Keras's <c>imdb.npz</c> and <c>imdb_word_index.json</c> from
/// <see cref="DatasetCache"/>, downloading them once when online.
/// </summary>
public static class Imdb
{
    internal const string Url = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz";
    internal const string Checksum = "sha256:69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f";
    internal const string WordIndexUrl = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json";
    internal const string WordIndexChecksum = "md5:bfafd718b763782e994055a2d397834f";

    /// <summary>
    /// Keras's <c>imdb.load_data()</c> with its exact semantics: each split shuffled with NumPy's
    /// <c>RandomState(seed)</c> (reproduced bit for bit, so the order is Keras's), ids shifted by
    /// <paramref name="indexFrom"/> and prefixed with <paramref name="startChar"/>; with <paramref name="maxlen"/>,
    /// reviews of maxlen ids or more are dropped; ids outside [<paramref name="skipTop"/>, <paramref name="numWords"/>)
    /// become <paramref name="oovChar"/> (or are removed when it is null). Without <paramref name="numWords"/> the limit
    /// is the largest id, which (as in Keras) itself becomes out of vocabulary. X holds the id sequences (pad them with
    /// <see cref="Utils.PadSequences(IReadOnlyList{IReadOnlyList{int}}, int?, string, string, string, float)"/>), Y the labels as a (n,) float32 tensor.
    /// </summary>
    public static ((int[][] X, Tensor Y) Train, (int[][] X, Tensor Y) Test) LoadData(string path = "imdb.npz", int? numWords = null,
        int skipTop = 0, int? maxlen = null, int seed = 113, int? startChar = 1, int? oovChar = 2, int indexFrom = 3, string? cacheDirectory = null)
    {
        if (numWords is < 0) throw new ArgumentOutOfRangeException(nameof(numWords), numWords, "Imdb.LoadData: numWords must be positive.");
        if (maxlen is < 0) throw new ArgumentOutOfRangeException(nameof(maxlen), maxlen, "Imdb.LoadData: maxlen must be positive.");
        string file = DatasetCache.GetFile(path, Url, Checksum, cacheDirectory: cacheDirectory);
        return LoadNpz(file, numWords, skipTop, maxlen, seed, startChar, oovChar, indexFrom);
    }

    /// <summary>Keras's <c>imdb.get_word_index()</c>: word to id (1 = most frequent; add <c>indexFrom</c> to match <see cref="LoadData"/>'s ids).</summary>
    public static Dictionary<string, int> GetWordIndex(string path = "imdb_word_index.json", string? cacheDirectory = null) =>
        ReadWordIndex(DatasetCache.GetFile(path, WordIndexUrl, WordIndexChecksum, cacheDirectory: cacheDirectory));

    internal static Dictionary<string, int> ReadWordIndex(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{file} is not a JSON object of word ids.");
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
                index[p.Name] = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out int id) ? id
                    : throw new InvalidDataException($"{file}: the id of '{p.Name}' is not an integer ({p.Value.GetRawText()}).");
            return index;
        }
        catch (JsonException e) { throw new InvalidDataException($"{file} is not valid JSON: {e.Message}", e); }
    }

    internal static ((int[][] X, Tensor Y) Train, (int[][] X, Tensor Y) Test) LoadNpz(string file, int? numWords, int skipTop, int? maxlen,
        int seed, int? startChar, int? oovChar, int indexFrom)
    {
        var a = Npz.Read(file, allowPickle: true);
        NDArray Get(string k) => a.TryGetValue(k, out var v) ? v : throw new InvalidDataException($"{file} has no '{k}' array (it has: {string.Join(", ", a.Keys)}).");
        var rng = new LegacyNumPyShuffle(unchecked((uint)seed));
        var (xTrain, yTrain) = Shuffled(file, "train", Get("x_train"), Get("y_train"), rng);
        var (xTest, yTest) = Shuffled(file, "test", Get("x_test"), Get("y_test"), rng);

        Shift(xTrain, startChar, indexFrom);
        Shift(xTest, startChar, indexFrom);
        if (maxlen is > 0)
        {
            (xTrain, yTrain) = RemoveLong(maxlen.Value, xTrain, yTrain);
            (xTest, yTest) = RemoveLong(maxlen.Value, xTest, yTest);
            if (xTrain.Length == 0 || xTest.Length == 0)
                throw new ArgumentException($"Imdb.LoadData: after filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. Increase maxlen.", nameof(maxlen));
        }
        long limit = numWords is > 0 ? numWords.Value : xTrain.Concat(xTest).Where(x => x.Length > 0).Select(x => x.Max()).DefaultIfEmpty(0).Max();
        Restrict(xTrain, skipTop, limit, oovChar);
        Restrict(xTest, skipTop, limit, oovChar);
        return ((xTrain, Labels(yTrain)), (xTest, Labels(yTest)));
    }

    private static (int[][] X, long[] Y) Shuffled(string file, string split, NDArray x, NDArray y, LegacyNumPyShuffle rng)
    {
        if (x.DType != "object" || x.Shape.Length != 1)
            throw new InvalidDataException($"{file}: x_{split} should be a 1-D object array of id lists, it is {x}.");
        long[] labels = y.DType switch
        {
            "int64" => (long[])y.Data, "int32" => ((int[])y.Data).Select(v => (long)v).ToArray(),
            "uint8" => ((byte[])y.Data).Select(v => (long)v).ToArray(),
            _ => throw new InvalidDataException($"{file}: y_{split} should hold integer labels, it is {y}."),
        };
        if (labels.Length != x.Length) throw new InvalidDataException($"{file}: x_{split} has {x.Length} reviews but y_{split} {labels.Length} labels.");
        var order = Enumerable.Range(0, x.Length).ToArray();
        rng.Shuffle(order.AsSpan());
        var items = (object?[])x.Data;
        return (order.Select(i => Ids(file, split, i, items[i])).ToArray(), order.Select(i => labels[i]).ToArray());
    }

    private static int[] Ids(string file, string split, int row, object? item) => item switch
    {
        long[] l => l.Select(v => v is >= int.MinValue / 2 and <= int.MaxValue / 2 ? (int)v : throw BadId(file, split, row, v)).ToArray(),
        object?[] o => o.Select(v => v is long l && l is >= int.MinValue / 2 and <= int.MaxValue / 2 ? (int)l : throw BadId(file, split, row, v)).ToArray(),
        _ => throw new InvalidDataException($"{file}: review {row} of x_{split} is not a list of word ids ({item?.GetType().Name ?? "None"})."),
    };

    private static InvalidDataException BadId(string file, string split, int row, object? v) =>
        new($"{file}: review {row} of x_{split} holds {v ?? "None"}, not a word id.");

    private static void Shift(int[][] xs, int? startChar, int indexFrom)
    {
        for (int r = 0; r < xs.Length; r++)
        {
            var shifted = xs[r].Select(w => w + indexFrom);
            xs[r] = startChar is int s ? [s, .. shifted] : shifted.ToArray();
        }
    }

    // Keras's remove_long_seq keeps sequences strictly shorter than maxlen.
    private static (int[][] X, long[] Y) RemoveLong(int maxlen, int[][] xs, long[] ys)
    {
        var keep = Enumerable.Range(0, xs.Length).Where(i => xs[i].Length < maxlen).ToArray();
        return (keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray());
    }

    private static void Restrict(int[][] xs, int skipTop, long numWords, int? oovChar)
    {
        for (int r = 0; r < xs.Length; r++)
            xs[r] = oovChar is int oov
                ? xs[r].Select(w => skipTop <= w && w < numWords ? w : oov).ToArray()
                : xs[r].Where(w => skipTop <= w && w < numWords).ToArray();
    }

    private static Tensor Labels(long[] y) => Tensor.FromArray(y.Select(v => (float)v).ToArray(), y.Length);
}
