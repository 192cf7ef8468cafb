using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>
/// The global pooling layers: the mean or maximum over every spatial axis of channels-last input, giving
/// (batch, channels), or (batch, 1, ..., channels) with <see cref="KeepDims"/>.
/// </summary>
public abstract class GlobalPooling : Layer
{
    private protected GlobalPooling(int spatial, bool max, string? dataFormat, bool keepDims, int[]? inputShape, string? name)
        : base(name, inputShape)
    {
        Spatial = spatial;
        Max = max;
        KeepDims = keepDims;
        Pooling.CheckDataFormat(dataFormat, Name);
    }

    internal int Spatial { get; }
    internal bool Max { get; }
    /// <summary>Whether the pooled axes stay as axes of length 1.</summary>
    public bool KeepDims { get; }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        Pooling.CheckRank(inputShape, Spatial, Name, ClassName);
        if (!KeepDims) return new Shape(inputShape[^1]);
        var dims = Dims.Filled(1, Spatial + 1);
        dims[^1] = inputShape[^1];
        return new Shape(dims);
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training)
    {
        int[] axes = Spatial == 1 ? [1] : [1, 2];
        return Max ? Ops.Max(input, axes, KeepDims) : Ops.Mean(input, axes, KeepDims);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["data_format"] = "channels_last";
        c["keepdims"] = KeepDims;
        return c;
    }

    /// <summary>The (keepdims, name) entries of a Keras global pooling config.</summary>
    internal static (bool KeepDims, string? Name) ReadConfig(JsonObject c, string className)
    {
        Pooling.CheckDataFormat((string?)c["data_format"], (string?)c["name"] ?? className);
        return ((bool?)c["keepdims"] ?? false, (string?)c["name"]);
    }
}
