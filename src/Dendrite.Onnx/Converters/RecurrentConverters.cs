using Dendrite.Layers;
using Dendrite.Onnx.Protobuf;

namespace Dendrite.Onnx.Converters;

/// <summary>
/// Embedding (Gather of the ids cast to int64) and the recurrent layers (ONNX LSTM, GRU, RNN with one forward
/// direction, weights transposed to ONNX's (gates x units, in) and gates reordered: ONNX LSTM is i, o, f, c, GRU z, r, h
/// as Keras with linear_before_reset for reset_after). Keras's go_backwards becomes a reversed input (Keras returns the
/// sequence in processing order). Masks, returned states and activations other than tanh with sigmoid gates do not
/// export (<see cref="NotSupportedException"/>); a stateful layer exports with zero initial states.
/// </summary>
internal static class RecurrentConverters
{
    public static string Embedding(LayerCall c, OnnxGraph g)
    {
        var e = (Embedding)c.Layer;
        if (e.MaskZero) throw Unsupported(e, "mask_zero (its mask has no ONNX counterpart here)");
        string ids = g.Node("Cast", [c.Input], g.Temp(c.Output, "Cast"), AttributeProto.Int("to", 7));
        return g.Node("Gather", [g.Weight(e.Embeddings), ids], c.Output, AttributeProto.Int("axis", 0));
    }

    public static string Masking(LayerCall c, OnnxGraph g) => throw Unsupported(c.Layer, "its per-step mask (no ONNX counterpart here)");

    public static string Recurrent(LayerCall c, OnnxGraph g)
    {
        var r = (RecurrentLayer)c.Layer;
        if (r.ReturnState) throw Unsupported(r, "return_state");
        if (!ReferenceEquals(r.Activation, Activations.Tanh)) throw Unsupported(r, $"activation '{r.Activation.Name}' (only tanh)");
        var gateAct = r switch { LSTM l => l.RecurrentActivation, GRU gr => gr.RecurrentActivation, _ => Activations.Sigmoid };
        if (!ReferenceEquals(gateAct, Activations.Sigmoid)) throw Unsupported(r, $"recurrent_activation '{gateAct.Name}' (only sigmoid)");
        int u = r.Units, f = r.Kernel.Shape[0];
        string x = c.Input;
        if (r.GoBackwards)
            x = g.Node("Slice", [x, g.Int64s(c.Output + "/starts", -1), g.Int64s(c.Output + "/ends", long.MinValue),
                g.Int64s(c.Output + "/axes", 1), g.Int64s(c.Output + "/steps", -1)], g.Temp(c.Output, "Reverse"));
        x = g.Node("Transpose", [x], g.Temp(c.Output, "TimeMajor"), AttributeProto.Ints("perm", 1, 0, 2));
        int[] order; string op; var attrs = new List<AttributeProto> { AttributeProto.Int("hidden_size", u) };
        float[] bias = new float[2 * r.Kernel.Shape[1]];
        switch (r)
        {
            case LSTM:
                op = "LSTM"; order = [0, 3, 1, 2];
                r.Bias?.AsSpan().CopyTo(bias);
                break;
            case GRU gru:
                op = "GRU"; order = [0, 1, 2];
                if (gru.ResetAfter) attrs.Add(AttributeProto.Int("linear_before_reset", 1));
                r.Bias?.AsSpan().CopyTo(bias);
                break;
            default:
                op = "RNN"; order = [0];
                r.Bias?.AsSpan().CopyTo(bias);
                break;
        }
        int gw = order.Length * u;
        string w = Constant(g, c.Output + "/W", [1, gw, f], Reorder(r.Kernel, order, u));
        string rk = Constant(g, c.Output + "/R", [1, gw, u], Reorder(r.RecurrentKernel, order, u));
        string b = Constant(g, c.Output + "/B", [1, 2 * gw], [.. ReorderBias(bias.AsSpan(0, gw), order, u), .. ReorderBias(bias.AsSpan(gw, gw), order, u)]);
        string y = g.Temp(c.Output, op + "_Y"), yh = g.Temp(c.Output, op + "_Y_h");
        g.Proto.Nodes.Add(new NodeProto { OpType = op, Name = g.Temp(c.Output, op), Inputs = [x, w, rk, b], Outputs = [y, yh], Attributes = attrs });
        if (!r.ReturnSequences) return g.Node("Squeeze", [yh, g.Int64s(c.Output + "/axes0", 0)], c.Output);
        string seq = g.Node("Squeeze", [y, g.Int64s(c.Output + "/axes1", 1)], g.Temp(c.Output, "Squeeze"));
        return g.Node("Transpose", [seq], c.Output, AttributeProto.Ints("perm", 1, 0, 2));
    }

    /// <summary>(rows, gates x u) Keras matrix to ONNX (gates x u, rows) in ONNX's gate order.</summary>
    private static float[] Reorder(Tensor m, int[] order, int u)
    {
        int rows = m.Shape[0], cols = m.Shape[1];
        var src = m.AsSpan();
        var dst = new float[rows * cols];
        for (int gi = 0; gi < order.Length; gi++)
            for (int j = 0; j < u; j++)
                for (int i = 0; i < rows; i++)
                    dst[(gi * u + j) * rows + i] = src[i * cols + order[gi] * u + j];
        return dst;
    }

    private static float[] ReorderBias(ReadOnlySpan<float> b, int[] order, int u)
    {
        var dst = new float[b.Length];
        for (int gi = 0; gi < order.Length; gi++) b.Slice(order[gi] * u, u).CopyTo(dst.AsSpan(gi * u, u));
        return dst;
    }

    private static string Constant(OnnxGraph g, string name, long[] dims, float[] values)
    {
        string n = g.Reserve(name);
        g.Proto.Initializers.Add(TensorProto.FromFloats(n, dims, values));
        return n;
    }

    private static NotSupportedException Unsupported(Layer layer, string what) =>
        new($"ONNX export: layer '{layer.Name}' ({layer.ClassName}) uses {what}, which does not export.");
}
