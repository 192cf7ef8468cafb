using System.Text.Json.Nodes;
using Dendrite.Layers;

namespace Dendrite.Saving;

/// <summary>Creates layers from (class name, config) pairs without reflection (trimming/AOT-safe); custom layers register here.</summary>
public static class LayerRegistry
{
    private static readonly Dictionary<string, Func<JsonObject, Layer>> Factories = new()
    {
        ["InputLayer"] = c => new Input(LayerConfig.Required(c, "batch_shape", "InputLayer").AsArray().Skip(1).Select(n => (int)n!).ToArray(), (string?)c["name"]),
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
    public static void Register(string className, Func<JsonObject, Layer> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(className);
        ArgumentNullException.ThrowIfNull(factory);
        Factories[className] = factory;
    }

    /// <summary>A new layer from its class name and config (the inverse of <see cref="Layer.GetConfig"/>).</summary>
    /// <remarks>A config without a required key, or with a value of the wrong type, throws <see cref="ArgumentException"/>
    /// naming the class and the key.</remarks>
    public static Layer FromConfig(string className, JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        if (!Factories.TryGetValue(className, out var f))
            throw new ArgumentException($"Unknown layer class '{className}'. Known: {string.Join(", ", Factories.Keys.Order())}.", nameof(className));
        try
        {
            var layer = f(config);
            layer.Trainable = (bool?)config["trainable"] ?? true;
            return layer;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // JsonNode conversions of a value of the wrong type ("units": "four").
            throw new ArgumentException($"The config of {className} has a value of the wrong type: {e.Message}", nameof(config), e);
        }
    }
}
