using Dendrite.Onnx.Protobuf;

namespace Dendrite.Tests.Onnx;

/// <summary>The protobuf encoding, byte for byte, against sequences worked out by hand from the wire format.</summary>
public class ProtoWriterTests
{
    private static byte[] Encode(Action<ProtoWriter> write)
    {
        using var ms = new MemoryStream();
        var w = new ProtoWriter(ms);
        write(w);
        Assert.Equal(ms.Length, w.Length);
        return ms.ToArray();
    }

    private static byte[] Hex(string s) => Convert.FromHexString(s.Replace(" ", ""));

    [Theory]
    [InlineData(0L, "08 00")]
    [InlineData(1L, "08 01")]
    [InlineData(127L, "08 7F")]
    [InlineData(128L, "08 80 01")]
    [InlineData(300L, "08 AC 02")]
    [InlineData(-1L, "08 FF FF FF FF FF FF FF FF FF 01")]
    [InlineData(long.MaxValue, "08 FF FF FF FF FF FF FF FF 7F")]
    public void Int64_fields_are_varints(long value, string expected) => Assert.Equal(Hex(expected), Encode(w => w.WriteInt64(1, value)));

    [Fact]
    public void Field_numbers_above_15_take_two_tag_bytes() => Assert.Equal(Hex("A0 01 07"), Encode(w => w.WriteInt64(20, 7)));

    [Fact]
    public void Floats_are_fixed32_little_endian() => Assert.Equal(Hex("15 00 00 80 3F"), Encode(w => w.WriteFloat(2, 1f)));

    [Fact]
    public void Strings_are_length_prefixed_utf8() => Assert.Equal(Hex("22 04 52 65 6C 75"), Encode(w => w.WriteString(4, "Relu")));

    [Fact]
    public void Repeated_int64s_are_unpacked() => Assert.Equal(Hex("40 01 40 AC 02"), Encode(w => w.WriteRepeatedInt64s(8, [1, 300])));

    [Fact]
    public void Raw_floats_and_int64s()
    {
        Assert.Equal(Hex("4A 08 00 00 80 3F 00 00 00 C0"), Encode(w => w.WriteFloatsAsBytes(9, [1f, -2f])));
        Assert.Equal(Hex("4A 08 FF FF FF FF FF FF FF FF"), Encode(w => w.WriteInt64sAsBytes(9, [-1L])));
    }

    [Fact]
    public void Long_payloads_get_multi_byte_lengths()
    {
        var bytes = Encode(w => w.WriteFloatsAsBytes(9, new float[100]));
        Assert.Equal(Hex("4A 90 03"), bytes[..3]);
        Assert.Equal(403, bytes.Length);
    }

    [Fact]
    public void Attribute_float() =>
        Assert.Equal(Hex("0A 05 61 6C 70 68 61 15 00 00 00 3F A0 01 01"), ProtoWriter.ToBytes(AttributeProto.Float("alpha", 0.5f)));

    [Fact]
    public void Attribute_int_and_ints()
    {
        Assert.Equal(Hex("0A 04 61 78 69 73 18 FF FF FF FF FF FF FF FF FF 01 A0 01 02"), ProtoWriter.ToBytes(AttributeProto.Int("axis", -1)));
        Assert.Equal(Hex("0A 01 70 40 01 40 02 A0 01 07"), ProtoWriter.ToBytes(AttributeProto.Ints("p", 1, 2)));
    }

    [Fact]
    public void Node() =>
        Assert.Equal(Hex("0A 01 78 12 01 79 1A 01 79 22 04 52 65 6C 75"),
            ProtoWriter.ToBytes(new NodeProto { OpType = "Relu", Name = "y", Inputs = ["x"], Outputs = ["y"] }));

    [Fact]
    public void Tensor_with_raw_data() =>
        Assert.Equal(Hex("08 02 10 01 42 01 77 4A 08 00 00 80 3F 00 00 00 40"),
            ProtoWriter.ToBytes(TensorProto.FromFloats("w", [2], [1f, 2f])));

    [Fact]
    public void Value_info_with_a_dynamic_batch_axis() =>
        // name "x"; type { tensor_type { elem_type 1; shape { dim { dim_param "batch" } dim { dim_value 3 } } } }
        Assert.Equal(Hex("0A 01 78 12 13 0A 11 08 01 12 0D 0A 07 12 05 62 61 74 63 68 0A 02 08 03"),
            ProtoWriter.ToBytes(new ValueInfoProto("x", TensorProto.Float, [null, 3])));

    [Fact]
    public void Model_with_nested_graph_and_opset()
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "D", Graph = new GraphProto { Name = "g" } };
        model.OpsetImport.Add(("", 17));
        Assert.Equal(Hex("08 08 12 01 44 3A 03 12 01 67 42 02 10 11"), ProtoWriter.ToBytes(model));
    }

    [Fact]
    public void Size_of_matches_the_written_length()
    {
        var g = new GraphProto { Name = "g" };
        g.Initializers.Add(TensorProto.FromFloats("w", [300], new float[300]));
        g.Nodes.Add(new NodeProto { OpType = "Relu", Inputs = ["w"], Outputs = ["y"] });
        Assert.Equal(ProtoWriter.ToBytes(g).Length, ProtoWriter.SizeOf(g));
    }
}
