using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Max pooling over steps of (batch, steps, channels) input (Keras MaxPooling1D; pool size 2 by default).</summary>
public sealed class MaxPooling1D : Pooling
{
    /// <summary>Creates the layer; strides default to the pool size.</summary>
    public MaxPooling1D(Dims poolSize = default, Dims strides = default, string padding = "valid", string? dataFormat = null,
        int[]? inputShape = null, string? name = null)
        : base(1, true, poolSize.IsEmpty ? 2 : poolSize, strides, padding, dataFormat, inputShape, name) { }

    /// <inheritdoc/>
    public override string ClassName => "MaxPooling1D";

    /// <summary>Recreates the layer from its config.</summary>
    public static MaxPooling1D FromConfig(JsonObject c)
    {
        var (pool, strides, padding, name) = ReadConfig(c, "MaxPooling1D");
        return new(pool, strides, padding, name: name);
    }
}
