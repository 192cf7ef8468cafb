using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Average pooling over steps of (batch, steps, channels) input (Keras AveragePooling1D); "same" padding divides by the count of real cells.</summary>
public sealed class AveragePooling1D : Pooling
{
    /// <summary>Creates the layer; strides default to the pool size.</summary>
    public AveragePooling1D(Dims poolSize, Dims strides = default, string padding = "valid", string? dataFormat = null,
        int[]? inputShape = null, string? name = null)
        : base(1, false, poolSize, strides, padding, dataFormat, inputShape, name) { }

    /// <inheritdoc/>
    public override string ClassName => "AveragePooling1D";

    /// <summary>Recreates the layer from its config.</summary>
    public static AveragePooling1D FromConfig(JsonObject c)
    {
        var (pool, strides, padding, name) = ReadConfig(c, "AveragePooling1D");
        return new(pool, strides, padding, name: name);
    }
}
