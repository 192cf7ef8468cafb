namespace Dendrite.Onnx.Protobuf;

/// <summary>onnx.NodeProto: one operator call, by tensor names.</summary>
internal sealed class NodeProto : IProtoMessage
{
    public required string OpType { get; init; }
    public string Name { get; init; } = "";
    public required IReadOnlyList<string> Inputs { get; init; }
    public required IReadOnlyList<string> Outputs { get; init; }
    public IReadOnlyList<AttributeProto> Attributes { get; init; } = [];

    public void WriteTo(ProtoWriter w)
    {
        foreach (var i in Inputs) w.WriteString(1, i);
        foreach (var o in Outputs) w.WriteString(2, o);
        if (Name.Length > 0) w.WriteString(3, Name);
        w.WriteString(4, OpType);
        foreach (var a in Attributes) w.WriteMessage(5, a);
    }
}
