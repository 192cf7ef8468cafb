using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving.Hdf5;

namespace Dendrite.Tests.Saving;

/// <summary>Truncated, corrupt and wrong-kind files get an InvalidDataException naming the file; failed saves keep the old file.
/// Not run in parallel with other classes: one test swaps the process-wide HDF5 codec for a failing one.</summary>
[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public sealed class DamagedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-damaged-").FullName;

    public DamagedFileTests() => Hdf5Saving.Enable();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sequential Mlp() => new([new Input(shape: [3]), new Dense(4, activation: "relu"), new Dense(2)]);

    [Theory]
    [InlineData("m.keras")]
    [InlineData("m.h5")]
    [InlineData("w.weights.h5")]
    public void Truncated_and_corrupted_files_are_refused_with_the_file_named(string name)
    {
        var model = Mlp();
        model.Compile("adam", "mse");
        string path = Path.Combine(_dir, name);
        if (name.StartsWith('w')) model.SaveWeights(path); else model.Save(path);
        var bytes = File.ReadAllBytes(path);
        var target = Mlp();
        var before = target.GetWeights().Select(w => w.ToArray()).ToList();
        foreach (int length in new[] { 0, 5, 8, 100, bytes.Length / 2, bytes.Length - 1 })
        {
            string cut = Path.Combine(_dir, $"cut{length}-{name}");
            File.WriteAllBytes(cut, bytes[..length]);
            var e = Assert.Throws<InvalidDataException>(() => { if (name.StartsWith('w')) target.LoadWeights(cut); else Model.Load(cut); });
            Assert.Contains(cut, e.Message);
        }
        var rng = new System.Random(7);
        for (int trial = 0; trial < 30; trial++)
        {
            var damaged = (byte[])bytes.Clone();
            for (int k = 0; k < 8; k++) damaged[8 + rng.Next(damaged.Length - 8)] ^= (byte)rng.Next(1, 256);
            string bad = Path.Combine(_dir, $"bad{trial}-{name}");
            File.WriteAllBytes(bad, damaged);
            try { target.LoadWeights(bad); }
            catch (InvalidDataException e) { Assert.Contains(bad, e.Message); continue; }
            catch (NotSupportedException e) { Assert.Contains(bad, e.Message); continue; }   // a flip that names a feature Dendrite does not read
            // A flip that lands on unused bytes leaves a readable file; the weights read must then still have the right shapes.
            Assert.Equal(before.Select(b => b.Length), target.GetWeights().Select(w => w.ToArray().Length));
        }
    }

    [Fact]
    public void Files_of_another_kind_are_refused_by_their_first_bytes()
    {
        string text = Path.Combine(_dir, "notes.keras");
        File.WriteAllText(text, "not a model at all");
        Assert.Contains("neither a .keras zip nor an HDF5 file", Assert.Throws<InvalidDataException>(() => Model.Load(text)).Message);
        string zip = Path.Combine(_dir, "other.keras");
        using (var z = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create)) z.CreateEntry("readme.txt");
        Assert.Contains("no config.json", Assert.Throws<InvalidDataException>(() => Model.Load(zip)).Message);
        string weights = Path.Combine(_dir, "only.weights.h5");
        Mlp().SaveWeights(weights);
        Assert.Contains("without a model_config", Assert.Throws<InvalidDataException>(() => Model.Load(weights)).Message);
        string hdfNamedKeras = Path.Combine(_dir, "legacy.keras");
        var model = Mlp();
        model.Save(Path.Combine(_dir, "legacy.h5"));
        File.Copy(Path.Combine(_dir, "legacy.h5"), hdfNamedKeras);
        Assert.Equal(model.Weights[0].ToArray(), Model.Load(hdfNamedKeras).Weights[0].ToArray());   // an HDF5 file named .keras
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_file_intact()
    {
        string path = Path.Combine(_dir, "m.keras");
        var model = Mlp();
        model.Save(path);
        var original = File.ReadAllBytes(path);
        var unbuilt = new Sequential([new Dense(3)]);
        Assert.Throws<InvalidOperationException>(() => unbuilt.Save(path));
        var codec = Dendrite.Saving.Hdf5Support.Codec;
        try
        {
            Dendrite.Saving.Hdf5Support.Codec = new FailingCodec();
            Assert.Throws<IOException>(() => Mlp().Save(path));
        }
        finally { Dendrite.Saving.Hdf5Support.Codec = codec; }
        Assert.Equal(original, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    private sealed class FailingCodec : Dendrite.Saving.IHdf5Codec
    {
        public Dendrite.Saving.HdfGroup Read(Stream stream, string fileName) => throw new IOException("disk gone");
        public void Write(Dendrite.Saving.HdfGroup root, Stream stream) { stream.Write(new byte[100]); throw new IOException("disk full"); }
    }
}
