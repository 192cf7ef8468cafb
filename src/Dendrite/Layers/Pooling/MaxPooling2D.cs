using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Max pooling over (batch, height, width, channels) input (Keras MaxPooling2D; pool size (2, 2) by default); with "same" padding, padded cells never win.</summary>
public sealed class MaxPooling2D : Pooling
{
    /// <summary>Creates the layer; strides default to the pool size.</summary>
    public MaxPooling2D(Dims poolSize = default, Dims strides = default, string padding = "valid", string? dataFormat = null,
        int[]? inputShape = null, string? name = null)
        : base(2, true, poolSize.IsEmpty ? 2 : poolSize, strides, padding, dataFormat, inputShape, name) { }

    /// <inheritdoc/>
    public override string ClassName => "MaxPooling2D";

    /// <summary>Recreates the layer from its config.</summary>
    public static MaxPooling2D FromConfig(JsonObject c)
    {
        var (pool, strides, padding, name) = ReadConfig(c, "MaxPooling2D");
        return new(pool, strides, padding, name: name);
    }
}
