using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving;
using Dendrite.Saving.Hdf5;

namespace Dendrite.Tests.Saving;

/// <summary>Legacy name lists longer than HDF5's object header limit are split into layer_names0, layer_names1, ... as Keras does.</summary>
public sealed class LegacyNameChunkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-chunks-").FullName;

    public LegacyNameChunkTests() => Hdf5Saving.Enable();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Long_layer_name_lists_are_split_and_joined_again()
    {
        var layers = new List<Layer> { new Input(shape: [2]) };
        for (int i = 0; i < 650; i++) layers.Add(new Activation(Activations.Get("linear"), name: $"{new string('x', 96)}_{i:D4}"));
        layers.Add(new Dense(1));
        var model = new Sequential(layers);
        string path = Path.Combine(_dir, "many.h5");
        model.Save(path);
        HdfGroup root;
        using (var f = File.OpenRead(path)) root = Hdf5Support.Codec!.Read(f, path);
        var mw = root.Groups["model_weights"];
        Assert.False(mw.Attributes.ContainsKey("layer_names"));
        Assert.True(mw.Attributes.ContainsKey("layer_names1"));
        Assert.Equal(model.Layers.Select(l => l.Name), mw.StringsAttribute("layer_names")!);
        var loaded = Model.Load(path);
        Assert.Equal(model.Weights[0].ToArray(), loaded.Weights[0].ToArray());
    }
}
