using Dendrite.Data;

namespace Dendrite.Datasets;

/// <summary>
/// UCI Adult (census income): does a person earn more than $50K a year? 6 numeric and 8 categorical features.
/// <see cref="LoadData"/> downloads adult.data and adult.test, drops rows with missing values, one-hot encodes the
/// categorical columns (categories from the training part) and returns y = 1 for "&gt;50K".
/// </summary>
public static class Adult
{
    internal const string BaseUrl = "https://archive.ics.uci.edu/ml/machine-learning-databases/adult/";

    /// <summary>Where the two files are published.</summary>
    public static string BaseUrlForUsers => BaseUrl;
    internal static readonly (string File, string? Checksum)[] Files =
    [
        ("adult.data", "sha256:5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d"),
        ("adult.test", "sha256:a2a9044bc167a35b2361efbabec64e89d69ce82d9790d2980119aac5fd7e9c05"),
    ];

    /// <summary>All columns of the files, in order.</summary>
    public static readonly string[] Columns =
    [
        "age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation", "relationship",
        "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income",
    ];

    /// <summary>The numeric feature columns.</summary>
    public static readonly string[] NumericColumns = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"];

    /// <summary>The categorical feature columns.</summary>
    public static readonly string[] CategoricalColumns = ["workclass", "education", "marital-status", "occupation", "relationship", "race", "sex", "native-country"];

    /// <summary>True when both files are in the cache (the example uses this to explain how to get them offline).</summary>
    public static bool IsCached(string? cacheDirectory = null) =>
        Files.All(f => File.Exists(Path.Combine(cacheDirectory ?? DatasetCache.Directory, "adult", f.File)));

    /// <summary>((xTrain, yTrain), (xTest, yTest)); y has shape (n, 1).</summary>
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) LoadData(string? cacheDirectory = null) => Load(Files, cacheDirectory);

    internal static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) Load((string File, string? Checksum)[] files, string? cacheDirectory)
    {
        var paths = files.Select(f => DatasetCache.GetFile(f.File, BaseUrl + f.File, f.Checksum, "adult", cacheDirectory)).ToArray();
        var train = CsvTable.Read(paths[0], header: false, columnNames: Columns).DropMissing();
        var test = CsvTable.Read(paths[1], header: false, columnNames: Columns, skipLines: 1).DropMissing();
        var rows = Enumerable.Range(0, train.RowCount).Select(r => CategoricalColumns.Select(c => train.Row(r)[train.IndexOf(c)]).ToArray()).ToArray();
        var encoder = new OneHotEncoder().Fit(rows);
        return ((train.ToTensor(NumericColumns, CategoricalColumns, encoder), Labels(train)),
                (test.ToTensor(NumericColumns, CategoricalColumns, encoder), Labels(test)));
    }

    private static Tensor Labels(CsvTable t)
    {
        var y = t.Strings("income").Select(s => s.TrimEnd('.') == ">50K" ? 1f : 0f).ToArray();
        return Tensor.FromArray(y, y.Length, 1);
    }
}
