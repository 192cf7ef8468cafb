using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Average pooling over (batch, height, width, channels) input (Keras AveragePooling2D); "same" padding divides each window by its count of real cells, as TensorFlow does.</summary>
public sealed class AveragePooling2D : Pooling
{
    /// <summary>Creates the layer; strides default to the pool size.</summary>
    public AveragePooling2D(Dims poolSize, Dims strides = default, string padding = "valid", string? dataFormat = null,
        int[]? inputShape = null, string? name = null)
        : base(2, false, poolSize, strides, padding, dataFormat, inputShape, name) { }

    /// <inheritdoc/>
    public override string ClassName => "AveragePooling2D";

    /// <summary>Recreates the layer from its config.</summary>
    public static AveragePooling2D FromConfig(JsonObject c)
    {
        var (pool, strides, padding, name) = ReadConfig(c, "AveragePooling2D");
        return new(pool, strides, padding, name: name);
    }
}
