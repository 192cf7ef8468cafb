namespace Dendrite.Onnx.Protobuf;

/// <summary>
/// onnx.ValueInfoProto for a tensor: its name, element type and shape (TypeProto.Tensor with a TensorShapeProto);
/// a null dimension is symbolic, written as <see cref="BatchDim"/> (the dynamic batch axis).
/// </summary>
internal sealed class ValueInfoProto(string name, int elemType, IReadOnlyList<long?> dims) : IProtoMessage
{
    /// <summary>The dim_param of symbolic dimensions.</summary>
    public const string BatchDim = "batch";

    public string Name => name;
    public IReadOnlyList<long?> Dims => dims;

    public void WriteTo(ProtoWriter w)
    {
        w.WriteString(1, name);
        w.WriteMessage(2, new Message(t => t.WriteMessage(1, new Message(tt =>     // TypeProto.tensor_type
        {
            tt.WriteInt64(1, elemType);                                           // Tensor.elem_type
            tt.WriteMessage(2, new Message(s =>                                   // Tensor.shape
            {
                foreach (var d in dims)
                    s.WriteMessage(1, new Message(dim =>                          // TensorShapeProto.dim
                    {
                        if (d is long v) dim.WriteInt64(1, v);                    // dim_value
                        else dim.WriteString(2, BatchDim);                        // dim_param
                    }));
            }));
        }))));
    }

    private sealed class Message(Action<ProtoWriter> write) : IProtoMessage
    {
        public void WriteTo(ProtoWriter w) => write(w);
    }
}
