using Dendrite.Data;

namespace Dendrite.Datasets;

/// <summary>
/// Zalando's Fashion-MNIST (MIT licence), as Keras loads it (the four gzipped IDX files in <c>fashion-mnist/</c>), plus a
/// 10,000-image subset embedded in the library.
/// </summary>
public static class FashionMnist
{
    internal const string BaseUrl = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the four files (same names as Keras's).</summary>
    internal static readonly string[] SystemDirectories = ["/usr/share/datasets/fashion-mnist"];

    internal static readonly (string File, string? Checksum)[] Files =
    [
        ("train-labels-idx1-ubyte.gz", "md5:25c81989df183df01b3e8a0aad5dffbe"),
        ("train-images-idx3-ubyte.gz", "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("t10k-labels-idx1-ubyte.gz", "md5:bb300cfdad3c16e7a12a480ee83cd310"),
        ("t10k-images-idx3-ubyte.gz", "md5:bef4ecab320f06d8554ea6380940ec79"),
    ];

    /// <summary>The names of the ten classes, by label (0 "T-shirt/top" ... 9 "Ankle boot").</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Keras's <c>fashion_mnist.load_data()</c>: x (60000, 28, 28) / (10000, 28, 28) pixel values 0-255, y (60000,) /
    /// (10000,) labels 0-9. Reads the files installed by Debian's <c>dataset-fashion-mnist</c> package
    /// (<c>/usr/share/datasets/fashion-mnist/</c>) when they are there, else the cache, downloading into it once.
    /// </summary>
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) LoadData(string? cacheDirectory = null) =>
        LoadData(cacheDirectory, SystemDirectories);

    internal static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) LoadData(string? cacheDirectory, IEnumerable<string> systemDirectories)
    {
        // The package's files are recompressed (other md5s than Keras's), so they are checked by their contents: Idx.Read
        // rejects a damaged or truncated file and Read the shapes.
        foreach (string dir in systemDirectories)
            if (Files.All(f => File.Exists(Path.Combine(dir, f.File))))
                return Read(Files.Select(f => Path.Combine(dir, f.File)).ToArray());
        return Load(Files, cacheDirectory);
    }

    internal static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) Load((string File, string? Checksum)[] files, string? cacheDirectory) =>
        Read(files.Select(f => DatasetCache.GetFile(f.File, BaseUrl + f.File, f.Checksum, "fashion-mnist", cacheDirectory)).ToArray());

    private static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) Read(string[] p)
    {
        var yTrain = Idx.Read(p[0]).ToTensor();
        var xTrain = Idx.Read(p[1]).ToTensor();
        var yTest = Idx.Read(p[2]).ToTensor();
        var xTest = Idx.Read(p[3]).ToTensor();
        if (xTrain.Shape[0] != yTrain.Shape[0] || xTest.Shape[0] != yTest.Shape[0])
            throw new InvalidDataException($"Fashion-MNIST files disagree: {xTrain.Shape[0]} training images but {yTrain.Shape[0]} labels, {xTest.Shape[0]} test images but {yTest.Shape[0]} labels.");
        if (xTrain.Rank != 3 || xTrain.Shape[1] != 28 || xTrain.Shape[2] != 28 || xTest.Rank != 3 || xTest.Shape[1] != 28 || xTest.Shape[2] != 28)
            throw new InvalidDataException($"The Fashion-MNIST images in {Path.GetDirectoryName(p[0])} are not 28x28: training {xTrain.Shape}, test {xTest.Shape}.");
        return ((xTrain, yTrain), (xTest, yTest));
    }

    /// <summary>
    /// The 10,000 real Fashion-MNIST images embedded in the library (balanced by class; converted by
    /// <c>tools/make_fashion_subset.py</c>), pixels scaled to [0, 1]: 8,000 training images (800 of each class, from
    /// the training set) and 2,000 test images (200 of each class, from the test set), x (n, 28, 28), y (n,) labels.
    /// Needs no network.
    /// </summary>
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) LoadEmbedded()
    {
        var images = Idx.Read(EmbeddedResource.Open("fashion-mnist-subset-images.idx.gz")).ToTensor();
        var labels = Idx.Read(EmbeddedResource.Open("fashion-mnist-subset-labels.idx.gz")).ToTensor();
        using var _ = Autodiff.GradMode.NoGrad();
        var x = Ops.Mul(images, 1f / 255f);
        int[] train = Enumerable.Range(0, EmbeddedTrainCount).ToArray();
        int[] test = Enumerable.Range(EmbeddedTrainCount, labels.Shape[0] - EmbeddedTrainCount).ToArray();
        return ((Ops.Gather(x, train), Ops.Gather(labels, train)), (Ops.Gather(x, test), Ops.Gather(labels, test)));
    }

    private const int EmbeddedTrainCount = 8000;
}
