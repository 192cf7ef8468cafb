using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>
/// Keras's 2-D padding/cropping argument: one int for every side, (height, width) for both sides of each axis, or
/// ((top, bottom), (left, right)). Converts implicitly from those forms.
/// </summary>
public readonly record struct Padding2D(int Top, int Bottom, int Left, int Right)
{
    /// <summary>The same amount on every side.</summary>
    public static implicit operator Padding2D(int all) => new(all, all, all, all);
    /// <summary>(height, width): the same amount before and after on each axis.</summary>
    public static implicit operator Padding2D((int Height, int Width) p) => new(p.Height, p.Height, p.Width, p.Width);
    /// <summary>((top, bottom), (left, right)).</summary>
    public static implicit operator Padding2D(((int, int) Height, (int, int) Width) p) =>
        new(p.Height.Item1, p.Height.Item2, p.Width.Item1, p.Width.Item2);

    /// <summary>Throws naming the layer when an amount is negative.</summary>
    internal Padding2D Checked(string layer, string argument)
    {
        if (Top < 0 || Bottom < 0 || Left < 0 || Right < 0)
            throw new ArgumentException($"Layer '{layer}': {argument} must not be negative, got {this}.", argument);
        return this;
    }

    /// <summary>The nested list Keras writes: [[top, bottom], [left, right]].</summary>
    internal JsonArray ToJson() => [new JsonArray(Top, Bottom), new JsonArray(Left, Right)];

    /// <summary>Reads an int, a pair or a pair of pairs from a Keras config value.</summary>
    internal static Padding2D FromJson(JsonNode? node, Padding2D fallback, string className, string key)
    {
        switch (node)
        {
            case null: return fallback;
            case JsonValue v: return (int)v;
            case JsonArray { Count: 2 } a when a[0] is JsonArray h && a[1] is JsonArray w && h.Count == 2 && w.Count == 2:
                return new((int)h[0]!, (int)h[1]!, (int)w[0]!, (int)w[1]!);
            case JsonArray { Count: 2 } a when a[0] is JsonValue && a[1] is JsonValue: return ((int)a[0]!, (int)a[1]!);
            default: throw new ArgumentException($"The config of {className} has an invalid '{key}': {node.ToJsonString()}.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"(({Top}, {Bottom}), ({Left}, {Right}))";
}
