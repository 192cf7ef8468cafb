using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>The mean over the steps of (batch, steps, channels) input (Keras GlobalAveragePooling1D).</summary>
public sealed class GlobalAveragePooling1D(string? dataFormat = null, bool keepDims = false, int[]? inputShape = null, string? name = null)
    : GlobalPooling(1, false, dataFormat, keepDims, inputShape, name)
{
    /// <inheritdoc/>
    public override string ClassName => "GlobalAveragePooling1D";

    /// <summary>Recreates the layer from its config.</summary>
    public static GlobalAveragePooling1D FromConfig(JsonObject c)
    {
        var (keepDims, name) = ReadConfig(c, "GlobalAveragePooling1D");
        return new(keepDims: keepDims, name: name);
    }
}
