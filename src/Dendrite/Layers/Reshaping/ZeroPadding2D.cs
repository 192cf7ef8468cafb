using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Adds rows and columns of zeros around (batch, height, width, channels) input (Keras ZeroPadding2D; 1 on every side by default).</summary>
public sealed class ZeroPadding2D : Layer
{
    /// <summary>Creates the layer; <paramref name="padding"/> is an int, (height, width) or ((top, bottom), (left, right)).</summary>
    public ZeroPadding2D(Padding2D? padding = null, string? dataFormat = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        Padding = (padding ?? 1).Checked(Name, "padding");
        Pooling.CheckDataFormat(dataFormat, Name);
    }

    /// <inheritdoc/>
    public override string ClassName => "ZeroPadding2D";
    /// <summary>The zeros added on each side.</summary>
    public Padding2D Padding { get; }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        Pooling.CheckRank(inputShape, 2, Name, ClassName);
        return new Shape(inputShape[0] + Padding.Top + Padding.Bottom, inputShape[1] + Padding.Left + Padding.Right, inputShape[2]);
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) =>
        Ops.Pad(input, (0, 0), (Padding.Top, Padding.Bottom), (Padding.Left, Padding.Right), (0, 0));

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["padding"] = Padding.ToJson();
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>Recreates the layer from its config.</summary>
    public static ZeroPadding2D FromConfig(JsonObject c) =>
        new(Padding2D.FromJson(c["padding"], 1, "ZeroPadding2D", "padding"), (string?)c["data_format"], name: (string?)c["name"]);
}
