using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Removes rows and columns from the edges of (batch, height, width, channels) input (Keras Cropping2D; none by default).</summary>
public sealed class Cropping2D : Layer
{
    /// <summary>Creates the layer; <paramref name="cropping"/> is an int, (height, width) or ((top, bottom), (left, right)).</summary>
    public Cropping2D(Padding2D? cropping = null, string? dataFormat = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        Cropping = (cropping ?? 0).Checked(Name, "cropping");
        Pooling.CheckDataFormat(dataFormat, Name);
    }

    /// <inheritdoc/>
    public override string ClassName => "Cropping2D";
    /// <summary>The rows and columns removed on each side.</summary>
    public Padding2D Cropping { get; }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        Pooling.CheckRank(inputShape, 2, Name, ClassName);
        int h = inputShape[0] - Cropping.Top - Cropping.Bottom, w = inputShape[1] - Cropping.Left - Cropping.Right;
        if (h <= 0 || w <= 0)
            throw new ArgumentException($"Layer '{Name}' (Cropping2D): cropping {Cropping} leaves nothing of input shape {FormatShape(inputShape)}.");
        return new Shape(h, w, inputShape[2]);
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training)
    {
        var s = input.Shape;
        return Ops.Slice(input, [0, Cropping.Top, Cropping.Left, 0],
            [s[0], s[1] - Cropping.Top - Cropping.Bottom, s[2] - Cropping.Left - Cropping.Right, s[3]]);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["cropping"] = Cropping.ToJson();
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>Recreates the layer from its config.</summary>
    public static Cropping2D FromConfig(JsonObject c) =>
        new(Padding2D.FromJson(c["cropping"], 0, "Cropping2D", "cropping"), (string?)c["data_format"], name: (string?)c["name"]);
}
