using System.Formats.Tar;
using System.IO.Compression;
using Dendrite.Data;

namespace Dendrite.Datasets;

/// <summary>CIFAR-10 from its binary archive: x (50000, 32, 32, 3) and (10000, 32, 32, 3) pixel values 0-255, y (n, 1) labels 0-9.</summary>
public static class Cifar10
{
    internal const string Url = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    internal const string Checksum = "md5:c32a1d4ab5d03f1284b67883e8d87530";
    internal const string Folder = "cifar-10-batches-bin";

    /// <summary>Keras's <c>cifar10.load_data()</c> shapes; downloads and unpacks the archive into the cache once.</summary>
    public static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) LoadData(string? cacheDirectory = null) =>
        Load(DatasetCache.GetFile("cifar-10-binary.tar.gz", Url, Checksum, cacheDirectory: cacheDirectory));

    internal static ((Tensor X, Tensor Y) Train, (Tensor X, Tensor Y) Test) Load(string archive)
    {
        string dir = Path.Combine(Path.GetDirectoryName(archive)!, Folder);
        string[] trainFiles = Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray();
        if (!trainFiles.Append("test_batch.bin").All(f => File.Exists(Path.Combine(dir, f)))) Extract(archive, dir);
        var train = trainFiles.Select(f => Cifar10Binary.Read(Path.Combine(dir, f))).ToList();
        var test = Cifar10Binary.Read(Path.Combine(dir, "test_batch.bin"));
        var xTrain = Ops.Concat(train.Select(t => t.Images.ToTensor()).ToList(), 0);
        var yTrain = Ops.Concat(train.Select(t => t.Labels.ToTensor()).ToList(), 0);
        return ((xTrain, yTrain), (test.Images.ToTensor(), test.Labels.ToTensor()));
    }

    /// <summary>Unpacks the .bin members only (no other paths are written), each atomically.</summary>
    private static void Extract(string archive, string dir)
    {
        Directory.CreateDirectory(dir);
        using var gz = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } entry)
        {
            string name = Path.GetFileName(entry.Name);
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !name.EndsWith(".bin", StringComparison.Ordinal) || entry.DataStream is null) continue;
            AtomicFile.Write(Path.Combine(dir, name), s => entry.DataStream.CopyTo(s));
        }
    }
}
