using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>The maximum over the steps of (batch, steps, channels) input (Keras GlobalMaxPooling1D).</summary>
public sealed class GlobalMaxPooling1D(string? dataFormat = null, bool keepDims = false, int[]? inputShape = null, string? name = null)
    : GlobalPooling(1, true, dataFormat, keepDims, inputShape, name)
{
    /// <inheritdoc/>
    public override string ClassName => "GlobalMaxPooling1D";

    /// <summary>Recreates the layer from its config.</summary>
    public static GlobalMaxPooling1D FromConfig(JsonObject c)
    {
        var (keepDims, name) = ReadConfig(c, "GlobalMaxPooling1D");
        return new(keepDims: keepDims, name: name);
    }
}
