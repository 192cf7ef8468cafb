using System.Net;
using System.Security.Cryptography;
using Dendrite.Data;
using Dendrite.Datasets;

namespace Dendrite.Tests.Datasets;

/// <summary>The loaders' real code paths against small files written here in each format (no network).</summary>
public sealed class DatasetTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("dendrite-cache-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private static string Sha(string path) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void Mnist_npz_in_the_cache_loads_with_keras_shapes()
    {
        var x = new byte[5 * 28 * 28];
        x[100] = 255;
        Npz.Write(Path.Combine(_cache, "mnist.npz"), new Dictionary<string, NDArray>
        {
            ["x_train"] = new(x, [5, 28, 28]), ["y_train"] = new(new byte[] { 0, 1, 2, 3, 4 }, [5]),
            ["x_test"] = new(new byte[2 * 784], [2, 28, 28]), ["y_test"] = new(new byte[] { 7, 8 }, [2]),
        });
        string file = DatasetCache.GetFile("mnist.npz", Mnist.Url, Sha(Path.Combine(_cache, "mnist.npz")), cacheDirectory: _cache);
        var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadNpz(file);
        Assert.Equal(new Shape(5, 28, 28), xTrain.Shape);
        Assert.Equal(255f, xTrain[0, 3, 16]);
        Assert.Equal(new[] { 0f, 1f, 2f, 3f, 4f }, yTrain.ToArray());
        Assert.Equal(new Shape(2, 28, 28), xTest.Shape);
        Assert.Equal(new[] { 7f, 8f }, yTest.ToArray());
    }

    [Fact]
    public void A_checksum_mismatch_deletes_nothing_and_says_so()
    {
        string file = Path.Combine(_cache, "mnist.npz");
        File.WriteAllText(file, "not the real archive");
        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadData(cacheDirectory: _cache));
        Assert.Contains("does not match", e.Message);
        Assert.Contains("left in place", e.Message);
        Assert.True(File.Exists(file));
        Assert.Equal("not the real archive", File.ReadAllText(file));
    }

    [Fact]
    public void Offline_the_error_names_the_url_and_where_to_put_the_file()
    {
        var e = Assert.Throws<IOException>(() => DatasetCache.GetFile("x.bin", "http://127.0.0.1:9/x.bin", null, "sub", _cache));
        Assert.Contains("http://127.0.0.1:9/x.bin", e.Message);
        Assert.Contains(Path.Combine(_cache, "sub", "x.bin"), e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_cache, "sub")));
    }

    [Fact]
    public async Task Download_from_a_loopback_server_is_verified_and_written_atomically()
    {
        byte[] payload = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        string expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(payload));
        using var listener = new HttpListener();
        int port = 0;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            port = System.Random.Shared.Next(20000, 60000);
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try { listener.Start(); break; } catch (HttpListenerException) { }
        }
        Assert.True(listener.IsListening, "could not open a loopback port");
        var serve = Task.Run(async () =>
        {
            for (int i = 0; i < 2; i++)
            {
                var ctx = await listener.GetContextAsync();
                await ctx.Response.OutputStream.WriteAsync(payload);
                ctx.Response.Close();
            }
        });
        string path = DatasetCache.GetFile("data.bin", $"http://127.0.0.1:{port}/data.bin", expected, "dl", _cache);
        Assert.Equal(payload, File.ReadAllBytes(path));
        var bad = Assert.Throws<InvalidDataException>(() => DatasetCache.GetFile("other.bin", $"http://127.0.0.1:{port}/other.bin", "sha256:00", "dl", _cache));
        Assert.Contains("discarded", bad.Message);
        Assert.Equal(["data.bin"], Directory.GetFiles(Path.Combine(_cache, "dl")).Select(Path.GetFileName));
        await serve.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Fashion_mnist_reads_the_four_idx_files()
    {
        string dir = Path.Combine(_cache, "fashion-mnist");
        Idx.Write(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), new NDArray(new byte[] { 9, 0, 3 }, [3]));
        Idx.Write(Path.Combine(dir, "train-images-idx3-ubyte.gz"), new NDArray(new byte[3 * 784], [3, 28, 28]));
        Idx.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), new NDArray(new byte[] { 1 }, [1]));
        Idx.Write(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), new NDArray(new byte[784], [1, 28, 28]));
        var files = FashionMnist.Files.Select(f => (f.File, (string?)Sha(Path.Combine(dir, f.File)))).ToArray();
        var ((x, y), (xt, yt)) = FashionMnist.Load(files, _cache);
        Assert.Equal(new Shape(3, 28, 28), x.Shape);
        Assert.Equal(new[] { 9f, 0f, 3f }, y.ToArray());
        Assert.Equal(1, xt.Shape[0]);
        Assert.Equal(1f, yt[0]);
        // The real checksums refuse these small files, and keep them (no system directory: the cache is read).
        Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(_cache, []));
        Assert.Equal(4, Directory.GetFiles(dir).Length);
    }

    private static void WriteFashionFiles(string dir, byte firstLabel, int trainCount)
    {
        var x = new byte[trainCount * 784];
        x[5 * 28 + 6] = 200;
        var y = new byte[trainCount];
        y[0] = firstLabel;
        Idx.Write(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), new NDArray(y, [trainCount]));
        Idx.Write(Path.Combine(dir, "train-images-idx3-ubyte.gz"), new NDArray(x, [trainCount, 28, 28]));
        Idx.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), new NDArray(new byte[] { 4, 8 }, [2]));
        Idx.Write(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), new NDArray(new byte[2 * 784], [2, 28, 28]));
    }

    [Fact]
    public void Fashion_mnist_reads_the_debian_package_directory_before_the_cache()
    {
        string system = Path.Combine(_cache, "usr-share-datasets", "fashion-mnist");
        string missing = Path.Combine(_cache, "nowhere");
        WriteFashionFiles(system, firstLabel: 7, trainCount: 3);
        WriteFashionFiles(Path.Combine(_cache, "fashion-mnist"), firstLabel: 2, trainCount: 5);   // a cache that fails the checksums
        var ((x, y), (xt, yt)) = FashionMnist.LoadData(_cache, [missing, system]);
        Assert.Equal(new Shape(3, 28, 28), x.Shape);
        Assert.Equal(new[] { 7f, 0f, 0f }, y.ToArray());
        Assert.Equal(200f, x[0, 5, 6]);
        Assert.Equal(new Shape(2, 28, 28), xt.Shape);
        Assert.Equal(new[] { 4f, 8f }, yt.ToArray());
        Assert.False(File.Exists(Path.Combine(missing, "train-labels-idx1-ubyte.gz")));
    }

    [Fact]
    public void Fashion_mnist_falls_back_to_the_cache_when_the_system_directory_lacks_a_file()
    {
        string system = Path.Combine(_cache, "sys");
        WriteFashionFiles(system, firstLabel: 7, trainCount: 3);
        File.Delete(Path.Combine(system, "t10k-images-idx3-ubyte.gz"));
        WriteFashionFiles(Path.Combine(_cache, "fashion-mnist"), firstLabel: 2, trainCount: 5);
        // The fallback is the checked cache: these small files fail the real checksums there.
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(_cache, [system]));
        Assert.Contains(Path.Combine(_cache, "fashion-mnist"), e.Message);
    }

    [Fact]
    public void Fashion_mnist_in_the_system_directory_must_be_28x28_and_agree()
    {
        string system = Path.Combine(_cache, "sys");
        WriteFashionFiles(system, firstLabel: 1, trainCount: 3);
        Idx.Write(Path.Combine(system, "t10k-labels-idx1-ubyte.gz"), new NDArray(new byte[] { 4, 8, 9 }, [3]));
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(_cache, [system]));
        Assert.Contains("2 test images but 3 labels", e.Message);
        Idx.Write(Path.Combine(system, "t10k-labels-idx1-ubyte.gz"), new NDArray(new byte[] { 4 }, [1]));
        Idx.Write(Path.Combine(system, "t10k-images-idx3-ubyte.gz"), new NDArray(new byte[32 * 32], [1, 32, 32]));
        e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadData(_cache, [system]));
        Assert.Contains("not 28x28", e.Message);
    }

    [Fact]
    public void Fashion_mnist_embedded_subset_is_8000_and_2000_real_images_balanced_by_class()
    {
        var ((x, y), (xt, yt)) = FashionMnist.LoadEmbedded();
        Assert.Equal(new Shape(8000, 28, 28), x.Shape);
        Assert.Equal(new Shape(2000, 28, 28), xt.Shape);
        Assert.Equal(new Shape(8000), y.Shape);
        Assert.Equal(new Shape(2000), yt.Shape);
        // The first labels of Zalando's training and test files (ankle boot, T-shirt, T-shirt, dress, ... / ankle boot, pullover, ...).
        Assert.Equal(new[] { 9f, 0f, 0f, 3f, 0f, 2f, 7f, 2f }, y.ToArray()[..8]);
        Assert.Equal(new[] { 9f, 2f, 1f, 1f, 6f, 1f, 4f, 6f }, yt.ToArray()[..8]);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(800, y.ToArray().Count(v => v == c)));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(200, yt.ToArray().Count(v => v == c)));
        // Pixel sums of the first training and test images and a centre pixel (uint8 values / 255), from the IDX files.
        Assert.Equal(76247f / 255f, x.ToArray()[..784].Sum(), 2);
        Assert.Equal(33456f / 255f, xt.ToArray()[..784].Sum(), 2);
        Assert.Equal(217f / 255f, x[0, 14, 14], 6);
        Assert.Equal(59915f / 255f, xt.ToArray()[^784..].Sum(), 2);
        Assert.Equal("Ankle boot", FashionMnist.ClassNames[9]);
    }

    [Fact]
    public void Cifar10_unpacks_the_binary_archive_channels_last()
    {
        string staging = Path.Combine(_cache, "staging", Cifar10.Folder);
        Directory.CreateDirectory(staging);
        for (int b = 1; b <= 6; b++)
        {
            var img = new byte[2 * 3072];
            img[0] = (byte)b;
            Cifar10Binary.Write(Path.Combine(staging, b == 6 ? "test_batch.bin" : $"data_batch_{b}.bin"), new NDArray(img, [2, 32, 32, 3]), new NDArray(new byte[] { (byte)b, 0 }, [2, 1]));
        }
        string archive = Path.Combine(_cache, "cifar-10-binary.tar.gz");
        using (var f = File.Create(archive))
        using (var gz = new System.IO.Compression.GZipStream(f, System.IO.Compression.CompressionLevel.Fastest))
            System.Formats.Tar.TarFile.CreateFromDirectory(Path.Combine(_cache, "staging"), gz, includeBaseDirectory: false);
        var ((x, y), (xt, yt)) = Cifar10.Load(archive);
        Assert.Equal(new Shape(10, 32, 32, 3), x.Shape);
        Assert.Equal(new Shape(10, 1), y.Shape);
        Assert.Equal(new Shape(2, 32, 32, 3), xt.Shape);
        Assert.Equal(3f, x[4, 0, 0, 0]);   // batch 3, first image, red channel of pixel 0
        Assert.Equal(6f, yt[0, 0]);
    }

    [Fact]
    public void Adult_drops_missing_rows_and_one_hot_encodes()
    {
        string dir = Path.Combine(_cache, "adult");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "adult.data"),
            "39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, White, Male, 2174, 0, 40, United-States, <=50K\n" +
            "50, ?, 83311, Bachelors, 13, Married-civ-spouse, Exec-managerial, Husband, White, Male, 0, 0, 13, United-States, <=50K\n" +
            "52, Self-emp-inc, 287927, HS-grad, 9, Married-civ-spouse, Exec-managerial, Wife, White, Female, 15024, 0, 40, Cuba, >50K\n");
        File.WriteAllText(Path.Combine(dir, "adult.test"),
            "|1x3 Cross validator\n25, Private, 226802, 11th, 7, Never-married, Machine-op-inspct, Own-child, Black, Male, 0, 0, 40, United-States, <=50K.\n" +
            "38, Private, 89814, HS-grad, 9, Married-civ-spouse, Farming-fishing, Husband, White, Male, 0, 0, 50, United-States, >50K.\n");
        var files = Adult.Files.Select(f => (f.File, (string?)Sha(Path.Combine(dir, f.File)))).ToArray();
        var ((x, y), (xt, yt)) = Adult.Load(files, _cache);
        Assert.Equal(2, x.Shape[0]);                              // the row with "?" is dropped
        Assert.Equal(new[] { 0f, 1f }, y.ToArray());
        Assert.Equal(new[] { 0f, 1f }, yt.ToArray());
        Assert.Equal(x.Shape[1], xt.Shape[1]);                    // test encoded with the training categories
        Assert.Equal(6 + 2 + 2 + 2 + 2 + 2 + 1 + 2 + 2, x.Shape[1]);   // numeric, then each column's distinct categories
        Assert.True(Adult.IsCached(_cache));
    }

    [Fact]
    public void Embedded_mnist_and_iris_load_offline()
    {
        var ((x, y), (xt, yt)) = Mnist.LoadEmbedded(testFraction: 0.2, seed: 42);
        Assert.Equal(8000, x.Shape[0]);
        Assert.Equal(2000, xt.Shape[0]);
        Assert.Equal(new Shape(28, 28), new Shape(x.Shape.ToArray()[1..]));
        Assert.InRange(x.ToArray().Max(), 0.99f, 1f);
        Assert.Equal(0f, x.ToArray().Min());
        var counts = yt.ToArray().GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, counts.Count);
        Assert.InRange(counts[1f], 220, 230);                     // 1127 ones, stratified 20%
        Assert.Equal(yt.ToArray(), Mnist.LoadEmbedded(0.2, 42).Test.Y.ToArray());
        var (ix, iy) = Iris.Load();
        Assert.Equal(new Shape(150, 4), ix.Shape);
        Assert.Equal(50, iy.Count(v => v == 2));
        Assert.Equal(5.1f, ix[0, 0]);
    }
}
