namespace Dendrite.Onnx.Protobuf;

/// <summary>A message that writes its fields with a <see cref="ProtoWriter"/>.</summary>
internal interface IProtoMessage
{
    /// <summary>Writes the message's fields (not its own tag or length).</summary>
    void WriteTo(ProtoWriter w);
}
