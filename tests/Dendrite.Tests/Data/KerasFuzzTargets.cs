using System.IO.Compression;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving.Hdf5;

namespace Dendrite.Tests.Data;

/// <summary>
/// The Keras model and weights readers as fuzz targets: the .keras zip as a whole, its config.json and its
/// model.weights.h5 (each mutated, then zipped again so that the damage reaches the JSON and HDF5 parsers), a
/// .weights.h5 file and a legacy .h5 model file. Seeds are written by Dendrite itself from a small compiled model
/// that has trained one step (so the optimizer's variables are in the files).
/// </summary>
internal static class KerasFuzzTargets
{
    /// <summary>Every target, for <see cref="Get"/>.</summary>
    public static readonly string[] All = ["keras", "keras-config", "keras-h5", "weights.h5", "legacy-h5", "legacy-weights-h5", "hdf5"];

    /// <summary>The targets CI runs: all of them. (Until Dendrite read HDF5 itself, damage inside the HDF5 structures made
    /// PureHDF allocate over 1 GB for some inputs under 10 KB, and the HDF5 targets ran by hand only.) "hdf5" reads h5py's
    /// files (every feature of the reader: chunked, filtered, dense groups, variable-length strings) straight through the codec.
    /// A 60 s campaign per target by hand (DENDRITE_FUZZ_SECONDS=60, seed 21, 2 shared cores, 2026-12-01) found no exception
    /// outside InvalidDataException/NotSupportedException, none without the file name, no allocation over 64 MB, no case
    /// over 2 s: cases (InvalidData / NotSupported / accepted), largest allocation, slowest case:
    /// keras 14180 (12461/45/1674) 6.7 MB 35 ms; keras-config 17157 (16474/18/665) 0.1 MB 34 ms; keras-h5 15151
    /// (12778/76/2297) 0.1 MB 92 ms; weights.h5 16587 (13819/92/2676) 0.1 MB 232 ms; legacy-h5 16951 (15401/79/1471)
    /// 0.1 MB 73 ms; legacy-weights-h5 15009 (12534/71/2404) 0.05 MB 69 ms; hdf5 6236 (5099/12/1125) 12 MB 604 ms
    /// (the "zeros" fixture inflates to 4 MB).</summary>
    public static readonly string[] Names = All;

    private static readonly Lazy<Seeds> Files = new(MakeSeeds);

    private sealed record Seeds(byte[] Keras, byte[] Metadata, byte[] Config, byte[] WeightsH5, byte[] KerasWeightsH5, byte[] LegacyH5, byte[] LegacyWeightsH5);

    public static FuzzTarget Get(string name)
    {
        var s = Files.Value;
        byte[][] hdfTokens = [[0x89, 0x48, 0x44, 0x46], "OHDR"u8.ToArray(), "TREE"u8.ToArray(), "HEAP"u8.ToArray(), "SNOD"u8.ToArray(),
            "BTHD"u8.ToArray(), "FRHP"u8.ToArray(), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 0x80, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0]];
        return name switch
        {
            "keras" => new(name, [s.Keras], [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x01, 0x02], [0xFF, 0xFF, 0xFF, 0xFF]], p => Model.Load(p)),
            "keras-config" => new(name, [s.Config], Dendrite.Tests.TestKit.MutationFuzzer.Ascii("\"class_name\"", "\"config\"", "\"layers\"",
                    "\"units\"", "\"batch_shape\"", "\"inbound_nodes\"", "null", "[]", "{}", "-1", "2147483647", "1e308", "\"Dense\"", "\"Functional\"",
                    "\"__keras_tensor__\"", "\"keras_history\"", "[[", "]]", "\"optimizer\"", "\"loss\"", "\"Adam\"", "\"learning_rate\""),
                p => Model.Load(p), (b, _) => Zip(s.Metadata, b, s.KerasWeightsH5)),
            "keras-h5" => new(name, [s.KerasWeightsH5], hdfTokens, p => Model.Load(p), (b, _) => Zip(s.Metadata, s.Config, b)),
            "weights.h5" => new(name, [s.WeightsH5], hdfTokens, p => SmallModel().LoadWeights(p)),
            "legacy-h5" => new(name, [s.LegacyH5], [.. hdfTokens, .. Dendrite.Tests.TestKit.MutationFuzzer.Ascii("model_config", "layer_names",
                "weight_names", "\"class_name\"", "\"units\"", "null", "training_config")], p => Model.Load(p)),
            "legacy-weights-h5" => new(name, [s.LegacyWeightsH5], hdfTokens, p => SmallModel().LoadWeights(p)),
            "hdf5" => new(name, Dendrite.Tests.Saving.Hdf5Fixtures.Names.Select(Dendrite.Tests.Saving.Hdf5Fixtures.Bytes).ToArray(),
                [.. hdfTokens, "GCOL"u8.ToArray(), "FHDB"u8.ToArray(), "FHIB"u8.ToArray(), "BTLF"u8.ToArray(), "BTIN"u8.ToArray(),
                    "FAHD"u8.ToArray(), "FADB"u8.ToArray(), "EAHD"u8.ToArray(), "EAIB"u8.ToArray(), [0x78, 0x9C]],
                p => { using var f = File.OpenRead(p); new PureHdfCodec().Read(f, p); }),
            _ => throw new ArgumentException($"No Keras fuzz target '{name}'.", nameof(name)),
        };
    }

    private static Sequential SmallModel() => new([new Input(shape: [3]), new Dense(4, activation: "relu"), new Dense(2, activation: "softmax")]);

    private static Seeds MakeSeeds()
    {
        Hdf5Saving.Enable();
        var model = SmallModel();
        model.Compile(optimizer: new Dendrite.Optimizers.Adam(), loss: "categorical_crossentropy", metrics: ["accuracy"]);
        model.TrainOnBatch(Tensor.FromArray([1f, 2, 3, -1, 0, 1], [2, 3]), Tensor.FromArray([1f, 0, 0, 1], [2, 2]));
        string dir = Directory.CreateTempSubdirectory("dendrite-fuzz-seed-").FullName;
        try
        {
            string keras = Path.Combine(dir, "m.keras"), weights = Path.Combine(dir, "m.weights.h5");
            string legacy = Path.Combine(dir, "m.h5"), legacyWeights = Path.Combine(dir, "w.h5");
            model.Save(keras);
            model.SaveWeights(weights);
            model.Save(legacy);
            model.SaveWeights(legacyWeights);
            using var zip = ZipFile.OpenRead(keras);
            byte[] Entry(string n) { using var e = zip.GetEntry(n)!.Open(); using var ms = new MemoryStream(); e.CopyTo(ms); return ms.ToArray(); }
            return new(File.ReadAllBytes(keras), Entry("metadata.json"), Entry("config.json"), File.ReadAllBytes(weights), Entry("model.weights.h5"),
                File.ReadAllBytes(legacy), File.ReadAllBytes(legacyWeights));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>A .keras zip of the three entries (stored, valid CRCs), as Keras writes it.</summary>
    private static byte[] Zip(byte[] metadata, byte[] config, byte[] weights)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (n, b) in new[] { ("metadata.json", metadata), ("config.json", config), ("model.weights.h5", weights) })
            {
                using var e = zip.CreateEntry(n, CompressionLevel.NoCompression).Open();
                e.Write(b);
            }
        return ms.ToArray();
    }
}
