using System.Text.Json.Nodes;

namespace Dendrite.Saving;

/// <summary>
/// Keras 1/2 defaults that differ from Keras 3's, made explicit in a legacy file's model_config before it is built:
/// a Keras 2 GRU without "reset_after" is the original GRU (reset_after false; Keras 3 and tf.keras 2.x default to true),
/// and Keras 2's "hard_sigmoid" is clip(0.2 x + 0.5, 0, 1), not Keras 3's clip(x / 6 + 0.5, 0, 1), so an
/// "activation" or "recurrent_activation" naming it becomes "hard_sigmoid_keras2" (<see cref="Activations.HardSigmoidKeras2"/>).
/// </summary>
internal static class Keras2Configs
{
    /// <summary>True for files written by Keras 1.x/2.x or tf.keras 2.x (tf.keras always writes "reset_after", so only older files change).</summary>
    public static bool IsKeras2(string? kerasVersion) => kerasVersion is { Length: > 1 } v && (v[0] == '1' || v[0] == '2') && v[1] == '.';

    private static readonly string[] ActivationKeys = ["activation", "recurrent_activation"];

    /// <summary>Fills in Keras 2's defaults where the config leaves them out (every layer, nested ones included).</summary>
    public static void Upgrade(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if ((string?)o["class_name"] is "GRU" or "CuDNNGRU" && o["config"] is JsonObject c && !c.ContainsKey("reset_after"))
                    c["reset_after"] = false;
                foreach (var key in ActivationKeys)
                    if (o[key] is JsonValue v && v.TryGetValue<string>(out var name) && name == "hard_sigmoid")
                        o[key] = "hard_sigmoid_keras2";
                foreach (var (_, child) in o.ToList()) Upgrade(child);
                break;
            case JsonArray a:
                foreach (var child in a) Upgrade(child);
                break;
        }
    }
}
