using System.Text.Json.Nodes;
using Dendrite.Losses;
using Dendrite.Metrics;
using Dendrite.Models;
using Dendrite.Optimizers;

namespace Dendrite.Saving;

/// <summary>Keras's compile_config (.keras) and training_config (legacy .h5), both ways, with Keras 2's spellings on read
/// ("lr", "Custom>Adam", metrics nested per output, MeanMetricWrapper).</summary>
internal static class CompileConfig
{
    public static JsonObject Serialize(Model m) => new()
    {
        ["optimizer"] = new JsonObject
        {
            ["module"] = "keras.optimizers", ["class_name"] = m.Optimizer!.ClassName, ["config"] = m.Optimizer.GetConfig(), ["registered_name"] = null,
        },
        ["loss"] = m.Loss is null ? null : new JsonObject
        {
            ["module"] = "keras.losses", ["class_name"] = m.Loss.ClassName, ["config"] = m.Loss.GetConfig(), ["registered_name"] = null,
        },
        ["loss_weights"] = null,
        ["metrics"] = m.Metrics.Count == 0 ? null : new JsonArray(m.Metrics.Select(x => (JsonNode)x.Name).ToArray()),
        ["weighted_metrics"] = null, ["run_eagerly"] = false, ["steps_per_execution"] = 1, ["jit_compile"] = false,
    };

    /// <summary>The legacy training_config: the compile config with "optimizer_config" in place of "optimizer".</summary>
    public static JsonObject SerializeLegacy(Model m)
    {
        var c = Serialize(m);
        c.Remove("optimizer");
        c["optimizer_config"] = new JsonObject { ["class_name"] = m.Optimizer!.ClassName, ["config"] = m.Optimizer.GetConfig() };
        return c;
    }

    /// <summary>Compiles <paramref name="model"/> from a compile or training config; parts Dendrite lacks are reported and skipped.</summary>
    public static void Apply(Model model, JsonObject c, string file)
    {
        var opt = Optimizer(c["optimizer"] ?? c["optimizer_config"], file);
        var loss = LossFrom(c["loss"], file);
        var metrics = new List<Metric>();
        Metrics(c["metrics"], metrics, file);
        model.Compile(opt, loss, metrics.GroupBy(x => x.Name).Select(g => g.First()));
    }

    private static Optimizer? Optimizer(JsonNode? n, string file)
    {
        if (n is null) return null;
        if (n is JsonValue v && v.TryGetValue(out string? name)) return Optimizers.Optimizer.Get(name);
        string cls = ((string?)n["class_name"] ?? "").Split('>')[^1];
        var c = n["config"] as JsonObject ?? [];
        double D(string key, double def) => c[key] is JsonValue x && x.TryGetValue(out double d) ? d : def;
        double? N(string key) => c[key] is JsonValue x && x.TryGetValue(out double d) ? d : null;
        double? lrValue = N("learning_rate") ?? N("lr");
        if (lrValue is null && c["learning_rate"] is JsonObject)
            Console.Error.WriteLine($"Warning: {file}: the learning-rate schedule in the file is not read; the optimizer uses its default rate.");
        LearningRate lr = lrValue is double r ? r : default;
        double? wd = N("weight_decay"), cn = N("clipnorm"), cv = N("clipvalue"), gn = N("global_clipnorm");
        switch (cls.ToLowerInvariant())
        {
            case "adam": return new Adam(lr, D("beta_1", 0.9), D("beta_2", 0.999), D("epsilon", 1e-7), (bool?)c["amsgrad"] ?? false, wd, cn, cv, gn);
            case "adamw": return new AdamW(lr, wd ?? 0.004, D("beta_1", 0.9), D("beta_2", 0.999), D("epsilon", 1e-7), (bool?)c["amsgrad"] ?? false, cn, cv, gn);
            case "sgd": return new SGD(lr, D("momentum", 0), (bool?)c["nesterov"] ?? false, wd, cn, cv, gn);
            case "rmsprop": return new RMSprop(lr, D("rho", 0.9), D("momentum", 0), D("epsilon", 1e-7), (bool?)c["centered"] ?? false, wd, cn, cv, gn);
            case "adagrad": return new Adagrad(lr, D("initial_accumulator_value", 0.1), D("epsilon", 1e-7), wd, cn, cv, gn);
            case "nadam": return new Nadam(lr, D("beta_1", 0.9), D("beta_2", 0.999), D("epsilon", 1e-7), wd, cn, cv, gn);
            default:
                Console.Error.WriteLine($"Warning: {file}: optimizer '{cls}' is not in Dendrite; the model is compiled with RMSprop (Keras's default).");
                return null;
        }
    }

    private static Loss? LossFrom(JsonNode? n, string file)
    {
        try
        {
            switch (n)
            {
                case null: return null;
                case JsonValue v when v.TryGetValue(out string? name): return Loss.Get(name);
                case JsonObject o:
                    var c = o["config"] as JsonObject ?? [];
                    bool logits = (bool?)c["from_logits"] ?? false;
                    double smoothing = c["label_smoothing"] is JsonValue s && s.TryGetValue(out double d) ? d : 0;
                    return ((string?)o["class_name"]) switch
                    {
                        "CategoricalCrossentropy" => new CategoricalCrossentropy(logits, smoothing),
                        "BinaryCrossentropy" => new BinaryCrossentropy(logits, smoothing),
                        "SparseCategoricalCrossentropy" => new SparseCategoricalCrossentropy(logits),
                        var cls => Loss.Get((string?)c["name"] ?? cls ?? ""),
                    };
                default:
                    Console.Error.WriteLine($"Warning: {file}: the loss {ModelDeserializer.Short(n)} (one per output) is not read; compile the model again to train it.");
                    return null;
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"Warning: {file}: {e.Message} The model is compiled without a loss.");
            return null;
        }
    }

    private static void Metrics(JsonNode? n, List<Metric> into, string file)
    {
        switch (n)
        {
            case JsonArray a: foreach (var x in a) Metrics(x, into, file); break;
            case JsonValue v when v.TryGetValue(out string? name): Add(name, into, file); break;
            case JsonObject o: Add((string?)o["config"]?["name"] ?? (string?)o["class_name"] ?? "", into, file); break;
        }
    }

    private static void Add(string name, List<Metric> into, string file)
    {
        try { into.Add(Metric.Get(name)); }
        catch (ArgumentException) { Console.Error.WriteLine($"Warning: {file}: metric '{name}' is not in Dendrite and is skipped."); }
    }
}
