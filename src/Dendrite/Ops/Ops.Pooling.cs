using Dendrite.Autodiff;
using Dendrite.Backends;
using Dendrite.Layers;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// Max pooling of channels-last (N, L, C) or (N, H, W, C) input (Keras <c>ops.max_pool</c>); strides default to the
    /// pool size; "same" padding never lets a padded cell win. The gradient goes to each window's first maximum.
    /// </summary>
    public static Tensor MaxPool(Tensor x, Dims poolSize, Dims strides = default, string padding = "valid") =>
        Pool(x, max: true, poolSize, strides, padding, "max_pool");

    /// <summary>
    /// Average pooling of channels-last (N, L, C) or (N, H, W, C) input (Keras <c>ops.average_pool</c>); with "same"
    /// padding each window divides by its count of real cells, as TensorFlow does.
    /// </summary>
    public static Tensor AveragePool(Tensor x, Dims poolSize, Dims strides = default, string padding = "valid") =>
        Pool(x, max: false, poolSize, strides, padding, "average_pool");

    internal static Tensor Pool(Tensor x, bool max, Dims poolSize, Dims strides, string padding, string who)
    {
        if (x.Rank is not (3 or 4))
            throw new ArgumentException($"Layer '{who}': pooling needs input of rank 3 (batch, steps, channels) or 4 (batch, height, width, channels), got shape {x.Shape}.", nameof(x));
        int spatial = x.Rank - 2;
        var p = poolSize.Expand(spatial, who, "pool_size");
        var s = strides.IsEmpty ? p : strides.Expand(spatial, who, "strides");
        var pad = ConvGeometry.CheckPadding(padding, who);
        var x4 = x.Rank == 4 ? x : Reshape(x, x.Shape[0], 1, x.Shape[1], x.Shape[2]);
        int[] pool2 = spatial == 2 ? p : [1, p[0]], stride2 = spatial == 2 ? s : [1, s[0]];
        int h = x4.Shape[1], w = x4.Shape[2];
        int oh = ConvGeometry.OutputLength(h, pool2[0], stride2[0], 1, pad, who), ow = ConvGeometry.OutputLength(w, pool2[1], stride2[1], 1, pad, who);
        var g = new Pool2DGeometry(pool2[0], pool2[1], stride2[0], stride2[1],
            ConvGeometry.PadBefore(h, pool2[0], stride2[0], 1, pad), ConvGeometry.PadBefore(w, pool2[1], stride2[1], 1, pad));
        var y = Pool2D(x4, max, g, oh, ow);
        return x.Rank == 4 ? y : Reshape(y, y.Shape[0], ow, y.Shape[3]);
    }

    private static Tensor Pool2D(Tensor x, bool max, Pool2DGeometry g, int oh, int ow)
    {
        var y = Tensor.Empty([x.Shape[0], oh, ow, x.Shape[3]]);
        if (!max)
        {
            B.AvgPool2D(x, g, y);
            if (Tape.Record(y, "average_pool", static (n, dy) =>
                {
                    var dx = Tensor.Empty(n.Input(0)!.Shape);
                    B.AvgPool2DGrad(dy, n.Pool, dx);
                    n.SetGrad(0, dx);
                }, x) is { } avg) avg.Pool = g;
            return y;
        }
        var argmax = Tensor.Empty(y.Shape);
        B.MaxPool2D(x, g, y, argmax);
        if (Tape.Record(y, "max_pool", static (n, dy) =>
            {
                var dx = Tensor.Empty(n.Input(0)!.Shape);
                B.MaxPool2DGrad(dy, n.T0!, n.Pool, dx);
                n.SetGrad(0, dx);
            }, x) is { } node) { node.Pool = g; node.T0 = argmax; }
        return y;
    }
}
