using Dendrite.Layers;
using Dendrite.Onnx.Protobuf;

namespace Dendrite.Onnx.Converters;

/// <summary>
/// Pooling, normalization and spatial reshaping layers. ONNX pools and normalizes channels-first, so those nodes sit
/// between Transpose nodes that move the channel axis to position 1 and back; BatchNormalization exports its
/// inference form (the moving statistics).
/// </summary>
internal static class PoolNormConverters
{
    public static string Pooling(LayerCall c, OnnxGraph g)
    {
        var p = (Pooling)c.Layer;
        var shape = c.InputShapes[0];
        int spatial = p.Spatial;
        var pads = new long[2 * spatial];
        for (int i = 0; i < spatial; i++)
        {
            int n = shape[i], k = p.PoolSize[i], s = p.Strides[i];
            int before = ConvGeometry.PadBefore(n, k, s, 1, p.Padding);
            int output = ConvGeometry.OutputLength(n, k, s, 1, p.Padding, p.Name);
            pads[i] = before;
            pads[spatial + i] = p.Padding == "same" ? Math.Max((output - 1) * s + k - n, 0) - before : 0;
        }
        string pooled = g.Node(p.Max ? "MaxPool" : "AveragePool", [ChannelsFirst(c, g, spatial + 2)], g.Temp(c.Output, p.Max ? "MaxPool" : "AveragePool"),
            AttributeProto.Ints("kernel_shape", p.PoolSize.Select(v => (long)v).ToArray()),
            AttributeProto.Ints("strides", p.Strides.Select(v => (long)v).ToArray()),
            AttributeProto.Ints("pads", pads));
        return g.Node("Transpose", [pooled], c.Output, AttributeProto.Ints("perm", ChannelsLastPerm(spatial + 2)));
    }

    public static string GlobalPooling(LayerCall c, OnnxGraph g)
    {
        var p = (GlobalPooling)c.Layer;
        long[] axes = p.Spatial == 1 ? [1] : [1, 2];
        string op = p.Max ? "ReduceMax" : "ReduceMean";
        var keep = AttributeProto.Int("keepdims", p.KeepDims ? 1 : 0);
        return g.Opset >= 18
            ? g.Node(op, [c.Input, g.Int64s(c.Output + "/axes", axes)], c.Output, keep)
            : g.Node(op, [c.Input], c.Output, AttributeProto.Ints("axes", axes), keep);
    }

    public static string BatchNormalization(LayerCall c, OnnxGraph g)
    {
        var bn = (BatchNormalization)c.Layer;
        int rank = c.InputShapes[0].Rank + 1, axis = bn.Axis < 0 ? bn.Axis + rank : bn.Axis, channels = c.InputShapes[0][axis - 1];
        // ONNX normalizes axis 1: move the layer's axis there (and back) unless it is there already.
        var perm = new List<long> { 0, axis };
        for (int i = 1; i < rank; i++) if (i != axis) perm.Add(i);
        var inverse = new long[rank];
        for (int i = 0; i < rank; i++) inverse[perm[i]] = i;
        bool move = axis != 1;
        string x = move ? g.Node("Transpose", [c.Input], g.Temp(c.Output, "Transpose"), AttributeProto.Ints("perm", perm.ToArray())) : c.Input;
        string scale = g.Weight(bn.Gamma ?? Constant(1f, channels, bn.Name + "/gamma"));
        string bias = g.Weight(bn.Beta ?? Constant(0f, channels, bn.Name + "/beta"));
        string y = g.Node("BatchNormalization", [x, scale, bias, g.Weight(bn.MovingMean), g.Weight(bn.MovingVariance)],
            move ? g.Temp(c.Output, "BatchNormalization") : c.Output, AttributeProto.Float("epsilon", (float)bn.Epsilon));
        return move ? g.Node("Transpose", [y], c.Output, AttributeProto.Ints("perm", inverse)) : y;
    }

    public static string LayerNormalization(LayerCall c, OnnxGraph g)
    {
        var ln = (LayerNormalization)c.Layer;
        long first = ln.Axis[0];
        int size = 1;
        foreach (int a in ln.Axis) size *= c.InputShapes[0][a - 1];
        var normShape = ln.Axis.Select(a => c.InputShapes[0][a - 1]).ToArray();
        if (g.Opset >= 17)
        {
            var gamma = ln.Gamma ?? Constant(1f, size, ln.Name + "/gamma", normShape);
            string[] inputs = ln.Beta is null ? [c.Input, g.Weight(gamma)] : [c.Input, g.Weight(gamma), g.Weight(ln.Beta)];
            return g.Node("LayerNormalization", inputs, c.Output, AttributeProto.Int("axis", first), AttributeProto.Float("epsilon", (float)ln.Epsilon));
        }
        // Opset 13-16: (x - mean) / sqrt(mean((x - mean)^2) + epsilon) * gamma + beta.
        var axes = AttributeProto.Ints("axes", ln.Axis.Select(a => (long)a).ToArray());
        string mean = g.Node("ReduceMean", [c.Input], g.Temp(c.Output, "mean"), axes);
        string d = g.Node("Sub", [c.Input, mean], g.Temp(c.Output, "centered"));
        string variance = g.Node("ReduceMean", [g.Node("Mul", [d, d], g.Temp(c.Output, "square"))], g.Temp(c.Output, "variance"), axes);
        string std = g.Node("Sqrt", [g.Node("Add", [variance, g.Scalar((float)ln.Epsilon)], g.Temp(c.Output, "shifted"))], g.Temp(c.Output, "std"));
        bool last = ln.Gamma is null && ln.Beta is null;
        string y = g.Node("Div", [d, std], last ? c.Output : g.Temp(c.Output, "normalized"));
        if (ln.Gamma is not null) y = g.Node("Mul", [y, g.Weight(ln.Gamma)], ln.Beta is null ? c.Output : g.Temp(c.Output, "scaled"));
        if (ln.Beta is not null) y = g.Node("Add", [y, g.Weight(ln.Beta)], c.Output);
        return y;
    }

    public static string ZeroPadding2D(LayerCall c, OnnxGraph g)
    {
        var p = ((ZeroPadding2D)c.Layer).Padding;
        return g.Node("Pad", [c.Input, g.Int64s(c.Output + "/pads", 0, p.Top, p.Left, 0, 0, p.Bottom, p.Right, 0)], c.Output);
    }

    public static string Cropping2D(LayerCall c, OnnxGraph g)
    {
        var p = ((Cropping2D)c.Layer).Cropping;
        var s = c.InputShapes[0];
        return g.Node("Slice", [c.Input, g.Int64s(c.Output + "/starts", p.Top, p.Left), g.Int64s(c.Output + "/ends", s[0] - p.Bottom, s[1] - p.Right),
            g.Int64s(c.Output + "/axes", 1, 2)], c.Output);
    }

    // Nearest Resize with Resize's default half_pixel coordinates and round_prefer_floor picks source floor(x / factor)
    // for whole-number factors, which is UpSampling2D's repeat.
    public static string UpSampling2D(LayerCall c, OnnxGraph g)
    {
        var size = ((UpSampling2D)c.Layer).Size;
        string scales = g.Reserve(c.Output + "/scales");
        g.Proto.Initializers.Add(TensorProto.FromFloats(scales, [4], [1f, size[0], size[1], 1f]));
        return g.Node("Resize", [c.Input, "", scales], c.Output);
    }

    private static string ChannelsFirst(LayerCall c, OnnxGraph g, int rank) =>
        g.Node("Transpose", [c.Input], g.Temp(c.Output, "Transpose"), AttributeProto.Ints("perm", [0, rank - 1, .. Enumerable.Range(1, rank - 2).Select(i => (long)i)]));

    private static long[] ChannelsLastPerm(int rank) => [0, .. Enumerable.Range(2, rank - 2).Select(i => (long)i), 1];

    private static Tensor Constant(float value, int size, string name, int[]? shape = null)
    {
        var t = Tensor.Full(shape ?? [size], value);
        t.Name = name;
        return t;
    }
}
