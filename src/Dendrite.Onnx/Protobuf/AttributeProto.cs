namespace Dendrite.Onnx.Protobuf;

/// <summary>onnx.AttributeProto for the kinds the exporter uses: one float, one int or a list of ints.</summary>
internal sealed class AttributeProto : IProtoMessage
{
    private const int FloatType = 1, IntType = 2, IntsType = 7;
    private readonly int _type;
    private readonly float _f;
    private readonly long[] _ints;

    private AttributeProto(string name, int type, float f, long[] ints)
    {
        Name = name;
        _type = type;
        _f = f;
        _ints = ints;
    }

    public string Name { get; }

    public static AttributeProto Float(string name, float value) => new(name, FloatType, value, []);
    public static AttributeProto Int(string name, long value) => new(name, IntType, 0f, [value]);
    public static AttributeProto Ints(string name, params long[] values) => new(name, IntsType, 0f, values);

    public void WriteTo(ProtoWriter w)
    {
        w.WriteString(1, Name);
        switch (_type)
        {
            case FloatType: w.WriteFloat(2, _f); break;
            case IntType: w.WriteInt64(3, _ints[0]); break;
            default: w.WriteRepeatedInt64s(8, _ints); break;
        }
        w.WriteInt64(20, _type);
    }
}
