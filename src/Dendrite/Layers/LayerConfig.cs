using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>Keras-style config pieces: initializers and regularizers as {"class_name", "config"} objects.</summary>
internal static class LayerConfig
{
    public static JsonNode? Serialize(Initializer? i) =>
        i is null ? null : new JsonObject { ["module"] = "keras.initializers", ["class_name"] = i.ClassName, ["config"] = i.GetConfig() };

    public static JsonNode? Serialize(Regularizer? r) =>
        r is null ? null : new JsonObject { ["module"] = "keras.regularizers", ["class_name"] = r.ClassName, ["config"] = r.GetConfig() };

    /// <summary>The value of a key the config of <paramref name="owner"/> must have, or an error naming the key.</summary>
    public static JsonNode Required(JsonNode config, string key, string owner) =>
        config[key] ?? throw new ArgumentException($"The config of {owner} has no '{key}', a required key.", "config");

    public static Initializer? Initializer(JsonNode? node)
    {
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue(out string? alias)) node = new JsonObject { ["class_name"] = InitializerClass(alias) };
        var cls = (string)Required(node, "class_name", "an initializer")!;
        var cfg = node["config"] as JsonObject ?? [];
        int? seed = (int?)cfg["seed"];
        return cls switch
        {
            "GlorotUniform" => new GlorotUniform(seed), "GlorotNormal" => new GlorotNormal(seed),
            "HeUniform" => new HeUniform(seed), "HeNormal" => new HeNormal(seed),
            "LecunUniform" => new LecunUniform(seed), "LecunNormal" => new LecunNormal(seed),
            "Zeros" => new Zeros(), "Ones" => new Ones(), "Constant" => new Constant((float?)cfg["value"] ?? 0f),
            "RandomNormal" => new RandomNormal((float?)cfg["mean"] ?? 0f, (float?)cfg["stddev"] ?? 0.05f, seed),
            "RandomUniform" => new RandomUniform((float?)cfg["minval"] ?? -0.05f, (float?)cfg["maxval"] ?? 0.05f, seed),
            "TruncatedNormal" => new TruncatedNormal((float?)cfg["mean"] ?? 0f, (float?)cfg["stddev"] ?? 0.05f, seed),
            "Orthogonal" or "OrthogonalInitializer" => new Orthogonal((float?)cfg["gain"] ?? 1f, seed),
            "VarianceScaling" => new VarianceScaling((double?)cfg["scale"] ?? 1.0, (string?)cfg["mode"] ?? "fan_in", (string?)cfg["distribution"] ?? "truncated_normal", seed),
            _ => throw new ArgumentException($"Unknown initializer class '{cls}' in a layer config."),
        };
    }

    private static string InitializerClass(string alias) => alias switch
    {
        "glorot_uniform" => "GlorotUniform", "glorot_normal" => "GlorotNormal", "he_uniform" => "HeUniform", "he_normal" => "HeNormal",
        "lecun_uniform" => "LecunUniform", "lecun_normal" => "LecunNormal", "zeros" or "zero" => "Zeros", "ones" or "one" => "Ones",
        "random_normal" => "RandomNormal", "random_uniform" => "RandomUniform", "truncated_normal" => "TruncatedNormal",
        "orthogonal" => "Orthogonal", _ => alias,
    };

    public static Regularizer? Regularizer(JsonNode? node)
    {
        if (node is null) return null;
        var cls = (string)Required(node, "class_name", "a regularizer")!;
        var cfg = node["config"] as JsonObject ?? [];
        return cls switch
        {
            "L1" => new L1((double?)cfg["l1"] ?? 0.01), "L2" => new L2((double?)cfg["l2"] ?? 0.01),
            "L1L2" => new L1L2((double?)cfg["l1"] ?? 0, (double?)cfg["l2"] ?? 0),
            _ => throw new ArgumentException($"Unknown regularizer class '{cls}' in a layer config."),
        };
    }
}
