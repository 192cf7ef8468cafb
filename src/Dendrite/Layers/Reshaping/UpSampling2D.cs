using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Repeats each row and column of (batch, height, width, channels) input (Keras UpSampling2D, nearest; size (2, 2) by default).</summary>
public sealed class UpSampling2D : Layer
{
    /// <summary>Creates the layer; only "nearest" interpolation is supported.</summary>
    public UpSampling2D(Dims size = default, string? dataFormat = null, string interpolation = "nearest", int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        Size = (size.IsEmpty ? 2 : size).Expand(2, Name, "size");
        Pooling.CheckDataFormat(dataFormat, Name);
        if (interpolation != "nearest")
            throw new ArgumentException($"Layer '{Name}' (UpSampling2D): interpolation must be \"nearest\", got \"{interpolation}\".", nameof(interpolation));
    }

    /// <inheritdoc/>
    public override string ClassName => "UpSampling2D";
    /// <summary>The repeat factors (height, width).</summary>
    public int[] Size { get; }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        Pooling.CheckRank(inputShape, 2, Name, ClassName);
        return new Shape(inputShape[0] * Size[0], inputShape[1] * Size[1], inputShape[2]);
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => Ops.Repeat(Ops.Repeat(input, Size[0], 1), Size[1], 2);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["size"] = Dims.ToJson(Size);
        c["data_format"] = "channels_last";
        c["interpolation"] = "nearest";
        return c;
    }

    /// <summary>Recreates the layer from its config.</summary>
    public static UpSampling2D FromConfig(JsonObject c) =>
        new(c["size"] is null ? default : Dims.FromJson(c["size"], "UpSampling2D", "size"), (string?)c["data_format"],
            (string?)c["interpolation"] ?? "nearest", name: (string?)c["name"]);
}
