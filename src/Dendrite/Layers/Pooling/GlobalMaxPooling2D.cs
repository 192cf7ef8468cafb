using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>The maximum over height and width of (batch, height, width, channels) input (Keras GlobalMaxPooling2D).</summary>
public sealed class GlobalMaxPooling2D(string? dataFormat = null, bool keepDims = false, int[]? inputShape = null, string? name = null)
    : GlobalPooling(2, true, dataFormat, keepDims, inputShape, name)
{
    /// <inheritdoc/>
    public override string ClassName => "GlobalMaxPooling2D";

    /// <summary>Recreates the layer from its config.</summary>
    public static GlobalMaxPooling2D FromConfig(JsonObject c)
    {
        var (keepDims, name) = ReadConfig(c, "GlobalMaxPooling2D");
        return new(keepDims: keepDims, name: name);
    }
}
