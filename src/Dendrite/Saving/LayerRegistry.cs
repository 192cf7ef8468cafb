using System.Text.Json.Nodes;
using Dendrite.Layers;

namespace Dendrite.Saving;

/// <summary>
/// Creates layers from (Keras class name, config) pairs without reflection (trimming/AOT-safe). Model files name each
/// layer's class; user layers register here: <c>LayerRegistry.Register&lt;MyLayer&gt;("MyLayer");</c>.
/// </summary>
public static class LayerRegistry
{
    private static readonly HashSet<string> BuiltIn =
        ["InputLayer", "Dense", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "Flatten", "Reshape", "Dropout",
         "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Conv1D", "Conv2D", "Conv2DTranspose",
         "DepthwiseConv2D", "SeparableConv2D", "Sequential", "Functional", "Model",
         "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D",
         "GlobalMaxPooling2D", "BatchNormalization", "LayerNormalization", "ZeroPadding2D", "UpSampling2D", "Cropping2D", "SpatialDropout2D"];

    private static readonly Dictionary<string, Func<JsonObject, Layer>> Factories = new()
    {
        ["InputLayer"] = InputFromConfig,
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
        ["MaxPooling1D"] = MaxPooling1D.FromConfig,
        ["MaxPooling2D"] = MaxPooling2D.FromConfig,
        ["AveragePooling1D"] = AveragePooling1D.FromConfig,
        ["AveragePooling2D"] = AveragePooling2D.FromConfig,
        ["GlobalAveragePooling1D"] = GlobalAveragePooling1D.FromConfig,
        ["GlobalAveragePooling2D"] = GlobalAveragePooling2D.FromConfig,
        ["GlobalMaxPooling1D"] = GlobalMaxPooling1D.FromConfig,
        ["GlobalMaxPooling2D"] = GlobalMaxPooling2D.FromConfig,
        ["BatchNormalization"] = BatchNormalization.FromConfig,
        ["LayerNormalization"] = LayerNormalization.FromConfig,
        ["ZeroPadding2D"] = ZeroPadding2D.FromConfig,
        ["UpSampling2D"] = UpSampling2D.FromConfig,
        ["Cropping2D"] = Cropping2D.FromConfig,
        ["SpatialDropout2D"] = SpatialDropout2D.FromConfig,
        ["Conv1D"] = Conv1D.FromConfig,
        ["Conv2D"] = Conv2D.FromConfig,
        ["Conv2DTranspose"] = Conv2DTranspose.FromConfig,
        ["DepthwiseConv2D"] = DepthwiseConv2D.FromConfig,
        ["SeparableConv2D"] = SeparableConv2D.FromConfig,
    };

    /// <summary>Registers a factory for a layer class name (also the form a file's "package>Name" registered name is looked up by).</summary>
    public static void Register(string className, Func<JsonObject, Layer> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(className);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Factories) Factories[className] = factory;
    }

    /// <summary>Registers a user layer that implements <see cref="IKerasLayer{TSelf}"/> under its Keras class name.</summary>
    public static void Register<TLayer>(string className) where TLayer : Layer, IKerasLayer<TLayer> =>
        Register(className, c => TLayer.FromConfig(c));

    /// <summary>True when a factory exists for this class name.</summary>
    public static bool IsRegistered(string className) { lock (Factories) return Factories.ContainsKey(className); }

    internal static bool IsBuiltIn(string className) => BuiltIn.Contains(className);

    /// <summary>A new layer from its class name and config (the inverse of <see cref="Layer.GetConfig"/>).</summary>
    /// <remarks>A config without a required key, or with a value of the wrong type, throws <see cref="ArgumentException"/>
    /// naming the class and the key.</remarks>
    public static Layer FromConfig(string className, JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        Func<JsonObject, Layer>? f;
        lock (Factories) Factories.TryGetValue(className, out f);
        if (f is null)
            throw new NotSupportedException(
                $"Unknown layer class '{className}' (layer '{(string?)config["name"]}'): Dendrite has no such layer. If it is your own layer, " +
                $"register it before loading with LayerRegistry.Register<TLayer>(\"{className}\") (TLayer implements IKerasLayer<TLayer>) " +
                $"or LayerRegistry.Register(\"{className}\", config => ...). Known: {string.Join(", ", Factories.Keys.Order())}.");
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

    /// <summary>InputLayer from Keras 3 ("batch_shape"), Keras 2 ("batch_input_shape") or a per-sample "input_shape"/"shape".</summary>
    private static Input InputFromConfig(JsonObject c)
    {
        int[] shape = c["batch_shape"] is JsonArray b ? Dims(b).Skip(1).ToArray()
            : c["batch_input_shape"] is JsonArray bi ? Dims(bi).Skip(1).ToArray()
            : c["input_shape"] is JsonArray s ? Dims(s)
            : c["shape"] is JsonArray s2 ? Dims(s2)
            : throw new ArgumentException($"The config of InputLayer '{(string?)c["name"]}' has no 'batch_shape' (nor Keras 2's 'batch_input_shape' or a 'shape'), a required key.", "config");
        return new Input(shape, (string?)c["name"]);
    }

    internal static int[] Dims(JsonArray a) => a.Select(n => n is null ? -1 : (int)n).ToArray();
}
