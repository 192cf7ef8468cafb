namespace Dendrite.Onnx.Protobuf;

/// <summary>onnx.GraphProto: nodes in topological order, initializers (the weights), inputs and outputs.</summary>
internal sealed class GraphProto : IProtoMessage
{
    public string Name { get; init; } = "";
    public List<NodeProto> Nodes { get; } = [];
    public List<TensorProto> Initializers { get; } = [];
    public List<ValueInfoProto> Inputs { get; } = [];
    public List<ValueInfoProto> Outputs { get; } = [];

    public void WriteTo(ProtoWriter w)
    {
        foreach (var n in Nodes) w.WriteMessage(1, n);
        if (Name.Length > 0) w.WriteString(2, Name);
        foreach (var t in Initializers) w.WriteMessage(5, t);
        foreach (var i in Inputs) w.WriteMessage(11, i);
        foreach (var o in Outputs) w.WriteMessage(12, o);
    }
}
