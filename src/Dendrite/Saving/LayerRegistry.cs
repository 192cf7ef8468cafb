using System.Text.Json.Nodes;
using Dendrite.Layers;

namespace Dendrite.Saving;

/// <summary>Creates layers from (class name, config) pairs without reflection (trimming/AOT-safe); custom layers register here.</summary>
public static class LayerRegistry
{
    private static readonly Dictionary<string, Func<JsonObject, Layer>> Factories = new()
    {
        ["InputLayer"] = c => new Input(c["batch_shape"]!.AsArray().Skip(1).Select(n => (int)n!).ToArray(), (string?)c["name"]),
        ["Dense"] = Dense.FromConfig,
        ["Activation"] = Activation.FromConfig,
        ["ReLU"] = ReLU.FromConfig,
        ["LeakyReLU"] = LeakyReLU.FromConfig,
        ["ELU"] = ELU.FromConfig,
        ["Softmax"] = Softmax.FromConfig,
        ["Flatten"] = Flatten.FromConfig,
        ["Reshape"] = Reshape.FromConfig,
        ["Dropout"] = Dropout.FromConfig,
        ["Add"] = Add.FromConfig,
        ["Subtract"] = Subtract.FromConfig,
        ["Multiply"] = Multiply.FromConfig,
        ["Average"] = Average.FromConfig,
        ["Maximum"] = Maximum.FromConfig,
        ["Minimum"] = Minimum.FromConfig,
        ["Concatenate"] = Concatenate.FromConfig,
    };

    /// <summary>Registers a factory for a layer class name.</summary>
    public static void Register(string className, Func<JsonObject, Layer> factory) => Factories[className] = factory;

    /// <summary>A new layer from its class name and config (the inverse of <see cref="Layer.GetConfig"/>).</summary>
    public static Layer FromConfig(string className, JsonObject config)
    {
        if (!Factories.TryGetValue(className, out var f))
            throw new ArgumentException($"Unknown layer class '{className}'. Known: {string.Join(", ", Factories.Keys.Order())}.", nameof(className));
        var layer = f(config);
        layer.Trainable = (bool?)config["trainable"] ?? true;
        return layer;
    }
}
