using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>
/// The windowed pooling layers (Keras BasePooling): channels-last input of rank 3 (1D) or 4 (2D), a pool size, strides
/// that default to the pool size, and "valid" or "same" padding.
/// </summary>
public abstract class Pooling : Layer
{
    private protected Pooling(int spatial, bool max, Dims poolSize, Dims strides, string padding, string? dataFormat, int[]? inputShape, string? name)
        : base(name, inputShape)
    {
        Spatial = spatial;
        Max = max;
        PoolSize = poolSize.Expand(spatial, Name, "pool_size");
        Strides = strides.IsEmpty ? PoolSize : strides.Expand(spatial, Name, "strides");
        Padding = ConvGeometry.CheckPadding(padding, Name);
        CheckDataFormat(dataFormat, Name);
    }

    internal int Spatial { get; }
    internal bool Max { get; }
    /// <summary>The window size on each spatial axis.</summary>
    public int[] PoolSize { get; }
    /// <summary>The step between windows on each spatial axis.</summary>
    public int[] Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        CheckRank(inputShape, Spatial, Name, ClassName);
        var dims = inputShape.ToArray();
        for (int i = 0; i < Spatial; i++)
            dims[i] = ConvGeometry.OutputLength(dims[i], PoolSize[i], Strides[i], 1, Padding, Name);
        return new Shape(dims);
    }

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => Ops.Pool(input, Max, PoolSize, Strides, Padding, Name);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["pool_size"] = Dims.ToJson(PoolSize);
        c["padding"] = Padding;
        c["strides"] = Dims.ToJson(Strides);
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>Throws unless a per-sample shape has <paramref name="spatial"/> spatial axes and a channel axis.</summary>
    internal static void CheckRank(Shape perSample, int spatial, string name, string className)
    {
        if (perSample.Rank != spatial + 1)
            throw new ArgumentException(
                $"Layer '{name}' ({className}) expects input of rank {spatial + 2} (batch, {(spatial == 1 ? "steps" : "height, width")}, channels), got shape {FormatShape(perSample)}.");
    }

    /// <summary>Only channels-last data is supported; throws naming the layer otherwise.</summary>
    internal static void CheckDataFormat(string? dataFormat, string name)
    {
        if (dataFormat is not (null or "channels_last"))
            throw new ArgumentException($"Layer '{name}': data_format must be \"channels_last\" (Dendrite is channels-last), got \"{dataFormat}\".", nameof(dataFormat));
    }

    /// <summary>The (pool_size, strides, padding, name) entries of a Keras pooling config.</summary>
    internal static (Dims Pool, Dims Strides, string Padding, string? Name) ReadConfig(JsonObject c, string className)
    {
        CheckDataFormat((string?)c["data_format"], (string?)c["name"] ?? className);
        var pool = Dims.FromJson(LayerConfig.Required(c, "pool_size", className), className, "pool_size");
        var strides = c["strides"] is null ? default : Dims.FromJson(c["strides"], className, "strides");
        return (pool, strides, (string?)c["padding"] ?? "valid", (string?)c["name"]);
    }
}
