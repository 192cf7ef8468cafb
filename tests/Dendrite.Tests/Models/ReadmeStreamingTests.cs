using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Models;

/// <summary>The README's "Data that does not fit in memory" example, verbatim, on shards written to a temporary directory.</summary>
[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public class ReadmeStreamingTests
{
    static IEnumerable<(Tensor X, Tensor Y)> Shards(string dir, int batchSize, Random? shuffle = null)
    {
        foreach (var xPath in Directory.GetFiles(dir, "x_*.npy").Order())
        {
            var x = Npy.Read(xPath).ToTensor();
            var y = Npy.Read(Path.Join(dir, "y" + Path.GetFileName(xPath)[1..])).ToTensor();
            foreach (var batch in Batches.FromArrays(x, y, batchSize, shuffle: shuffle is not null, seed: shuffle?.Next()))
                yield return batch;
        }
    }

    private static void WriteShards(string dir, int shards, int rows, int seed)
    {
        Directory.CreateDirectory(dir);
        for (int i = 0; i < shards; i++)
        {
            var x = Tensor.RandomNormal([rows, 3], seed: seed + i);
            var xs = x.ToArray();
            var y = new float[rows];
            for (int r = 0; r < rows; r++) y[r] = xs[3 * r] - xs[3 * r + 2] > 0 ? 1 : 0;
            Npy.Write(Path.Join(dir, $"x_{i:000}.npy"), x);
            Npy.Write(Path.Join(dir, $"y_{i:000}.npy"), Tensor.FromArray(y, rows, 1));
        }
    }

    [Fact]
    public void Readme_streaming_example_trains_from_npy_shards()
    {
        string root = Path.Join(Path.GetTempPath(), "dendrite-shards-" + Guid.NewGuid().ToString("N"));
        try
        {
            WriteShards(Path.Join(root, "data/train"), shards: 4, rows: 100, seed: 1);
            WriteShards(Path.Join(root, "data/val"), shards: 1, rows: 60, seed: 50);
            WriteShards(Path.Join(root, "data/test"), shards: 2, rows: 50, seed: 60);
            string D(string d) => Path.Join(root, d);
            History Run()
            {
                Utils.SetRandomSeed(4);
                var model = new Sequential([new Input(shape: [3]), new Dense(8, activation: "relu"), new Dense(1, activation: "sigmoid")]);
                model.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"]);
                var history = model.Fit(Shards(D("data/train"), 32, new Random(42)), epochs: 10, validationData: Shards(D("data/val"), 256), verbose: 0);
                float[] scores = model.Evaluate(Shards(D("data/test"), 256), verbose: 0);
                Assert.True(scores[1] > 0.7f, $"test accuracy {scores[1]}");
                return history;
            }
            var first = Run();
            Assert.Equal(10, first.Epoch.Count);
            Assert.True(first["val_accuracy"][^1] > 0.7f, $"val_accuracy {first["val_accuracy"][^1]}");
            Assert.Equal(first["loss"], Run()["loss"]);   // shuffled with its own generator: the same run twice
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
