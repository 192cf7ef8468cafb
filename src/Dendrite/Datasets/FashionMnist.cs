using Dendrite.Data;

namespace Dendrite.Datasets;

/// <summary>Zalando's Fashion-MNIST, as Keras loads it (the four gzipped IDX files in <c>fashion-mnist/</c>).</summary>
public static class FashionMnist
{
    internal const string BaseUrl = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/";

    internal static readonly (string File, string? Checksum)[] Files =
    [
        ("train-labels-idx1-ubyte.gz", "md5:25c81989df183df01b3e8a0aad5dffbe"),
        ("train-images-idx3-ubyte.gz", "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("t10k-labels-idx1-ubyte.gz", "md5:bb300cfdad3c16e7a12a480ee83cd310"),
        ("t10k-images-idx3-ubyte.gz", "md5:bef4ecab320f06d8554ea6380940ec79"),
    ];

    /// <summary>x (60000, 28, 28) / (10000, 28, 28) pixel values 0-255, y (60000,) / (10000,) labels 0-9.</summary>
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) LoadData(string? cacheDirectory = null) =>
        Load(Files, cacheDirectory);

    internal static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) Load((string File, string? Checksum)[] files, string? cacheDirectory)
    {
        var p = files.Select(f => DatasetCache.GetFile(f.File, BaseUrl + f.File, f.Checksum, "fashion-mnist", cacheDirectory)).ToArray();
        var yTrain = Idx.Read(p[0]).ToTensor();
        var xTrain = Idx.Read(p[1]).ToTensor();
        var yTest = Idx.Read(p[2]).ToTensor();
        var xTest = Idx.Read(p[3]).ToTensor();
        if (xTrain.Shape[0] != yTrain.Shape[0] || xTest.Shape[0] != yTest.Shape[0])
            throw new InvalidDataException($"Fashion-MNIST files disagree: {xTrain.Shape[0]} training images but {yTrain.Shape[0]} labels, {xTest.Shape[0]} test images but {yTest.Shape[0]} labels.");
        return ((xTrain, yTrain), (xTest, yTest));
    }
}
