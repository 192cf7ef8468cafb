using Dendrite.Data;

namespace Dendrite.Datasets;

/// <summary>Fisher's Iris data (150 flowers), embedded: 4 features and the species 0 setosa, 1 versicolor, 2 virginica.</summary>
public static class Iris
{
    /// <summary>Feature names, in column order.</summary>
    public static readonly string[] FeatureNames = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"];

    /// <summary>Species names by label.</summary>
    public static readonly string[] TargetNames = ["setosa", "versicolor", "virginica"];

    /// <summary>x (150, 4) and the labels y (150,) as integers (scikit-learn's <c>load_iris()</c>).</summary>
    public static (Tensor X, int[] Y) Load()
    {
        using var reader = new StreamReader(EmbeddedResource.Open("iris.csv"));
        var table = CsvTable.Read(reader, header: true);
        var x = table.ToTensor(table.Columns[..4]);
        var y = table.Strings(table.Columns[4]).Select(int.Parse).ToArray();
        return (x, y);
    }
}
