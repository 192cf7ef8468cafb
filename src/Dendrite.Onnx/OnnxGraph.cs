using Dendrite.Onnx.Protobuf;

namespace Dendrite.Onnx;

/// <summary>
/// The ONNX graph being built: unique value names, nodes in topological order, and initializers (each weight
/// tensor once, however many layer calls share it; constants once per value).
/// </summary>
internal sealed class OnnxGraph(string name, int opset)
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<Tensor, string> _weights = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int, string> _scalars = [];

    /// <summary>The message written to the file.</summary>
    public GraphProto Proto { get; } = new() { Name = name };

    /// <summary>The opset the nodes target.</summary>
    public int Opset { get; } = opset;

    /// <summary>A value name not used yet: <paramref name="baseName"/>, else baseName_1, baseName_2, ...</summary>
    public string Reserve(string baseName)
    {
        if (_names.Add(baseName)) return baseName;
        for (int i = 1; ; i++)
        {
            string candidate = $"{baseName}_{i}";
            if (_names.Add(candidate)) return candidate;
        }
    }

    /// <summary>A name for an intermediate value of a layer call: "scope/op".</summary>
    public string Temp(string scope, string op) => Reserve($"{scope}/{op}");

    /// <summary>Adds a node writing <paramref name="output"/> and returns that name.</summary>
    public string Node(string opType, string[] inputs, string output, params AttributeProto[] attributes)
    {
        Proto.Nodes.Add(new NodeProto { OpType = opType, Name = output, Inputs = inputs, Outputs = [output], Attributes = attributes });
        return output;
    }

    /// <summary>The initializer holding a weight (named after it, e.g. "dense/kernel"), added on first use.</summary>
    public string Weight(Tensor weight)
    {
        if (_weights.TryGetValue(weight, out var existing)) return existing;
        string n = Reserve(weight.Name ?? "weight");
        Proto.Initializers.Add(TensorProto.FromFloats(n, weight.Shape.ToArray().Select(d => (long)d).ToArray(), weight.ToArray()));
        _weights[weight] = n;
        return n;
    }

    /// <summary>A float32 scalar initializer (one per distinct value).</summary>
    public string Scalar(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        if (_scalars.TryGetValue(bits, out var existing)) return existing;
        string n = Reserve($"const_{value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        Proto.Initializers.Add(TensorProto.FromFloats(n, [], [value]));
        _scalars[bits] = n;
        return n;
    }

    /// <summary>A one-axis int64 initializer (shapes, axes).</summary>
    public string Int64s(string baseName, params long[] values)
    {
        string n = Reserve(baseName);
        Proto.Initializers.Add(TensorProto.FromInt64s(n, [values.Length], values));
        return n;
    }
}
