namespace Dendrite.Onnx.Protobuf;

/// <summary>onnx.TensorProto holding float32 or int64 values as little-endian raw_data.</summary>
internal sealed class TensorProto : IProtoMessage
{
    /// <summary>TensorProto.DataType values.</summary>
    public const int Float = 1, Int64 = 7, Bool = 9;

    private readonly float[]? _floats;
    private readonly long[]? _int64s;

    private TensorProto(string name, long[] dims, float[]? floats, long[]? int64s)
    {
        Name = name;
        Dims = dims;
        _floats = floats;
        _int64s = int64s;
    }

    public string Name { get; }
    public long[] Dims { get; }
    public int DataType => _floats is not null ? Float : Int64;

    public static TensorProto FromFloats(string name, long[] dims, float[] values) => new(name, dims, values, null);
    public static TensorProto FromInt64s(string name, long[] dims, long[] values) => new(name, dims, null, values);

    public void WriteTo(ProtoWriter w)
    {
        if (Dims.Length > 0) w.WriteRepeatedInt64s(1, Dims);
        w.WriteInt64(2, DataType);
        w.WriteString(8, Name);
        if (_floats is not null) w.WriteFloatsAsBytes(9, _floats);
        else w.WriteInt64sAsBytes(9, _int64s!);
    }
}
