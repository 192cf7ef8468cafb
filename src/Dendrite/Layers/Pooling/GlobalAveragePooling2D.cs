using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>The mean over height and width of (batch, height, width, channels) input (Keras GlobalAveragePooling2D).</summary>
public sealed class GlobalAveragePooling2D(string? dataFormat = null, bool keepDims = false, int[]? inputShape = null, string? name = null)
    : GlobalPooling(2, false, dataFormat, keepDims, inputShape, name)
{
    /// <inheritdoc/>
    public override string ClassName => "GlobalAveragePooling2D";

    /// <summary>Recreates the layer from its config.</summary>
    public static GlobalAveragePooling2D FromConfig(JsonObject c)
    {
        var (keepDims, name) = ReadConfig(c, "GlobalAveragePooling2D");
        return new(keepDims: keepDims, name: name);
    }
}
