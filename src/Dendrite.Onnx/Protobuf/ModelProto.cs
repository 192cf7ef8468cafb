namespace Dendrite.Onnx.Protobuf;

/// <summary>onnx.ModelProto: the file's top-level message (field numbers from onnx/onnx.proto).</summary>
internal sealed class ModelProto : IProtoMessage
{
    public long IrVersion { get; init; }
    public string ProducerName { get; init; } = "";
    public string ProducerVersion { get; init; } = "";
    public required GraphProto Graph { get; init; }
    /// <summary>Operator sets imported: (domain, version); "" is the default ONNX domain.</summary>
    public List<(string Domain, long Version)> OpsetImport { get; } = [];

    public void WriteTo(ProtoWriter w)
    {
        w.WriteInt64(1, IrVersion);
        if (ProducerName.Length > 0) w.WriteString(2, ProducerName);
        if (ProducerVersion.Length > 0) w.WriteString(3, ProducerVersion);
        w.WriteMessage(7, Graph);
        foreach (var (domain, version) in OpsetImport) w.WriteMessage(8, new OperatorSetId(domain, version));
    }

    /// <summary>onnx.OperatorSetIdProto.</summary>
    internal sealed class OperatorSetId(string domain, long version) : IProtoMessage
    {
        public void WriteTo(ProtoWriter w)
        {
            if (domain.Length > 0) w.WriteString(1, domain);
            w.WriteInt64(2, version);
        }
    }
}
