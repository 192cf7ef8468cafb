using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Dendrite.Onnx.Protobuf;

/// <summary>
/// A minimal protocol-buffers encoder (the wire format ONNX files use): varints, 32-bit floats, length-delimited
/// strings, bytes and nested messages. Writes to a stream, or with no stream only counts bytes, which is how a nested
/// message's length prefix is computed before the message itself is written (no message is buffered).
/// </summary>
internal sealed class ProtoWriter(Stream? stream)
{
    private const int Varint = 0, Fixed32 = 5, LengthDelimited = 2;
    private readonly byte[] _scratch = new byte[10];

    /// <summary>Bytes written (or counted) so far.</summary>
    public long Length { get; private set; }

    /// <summary>The encoded size of a message, without writing it.</summary>
    public static long SizeOf(IProtoMessage message)
    {
        var counter = new ProtoWriter(null);
        message.WriteTo(counter);
        return counter.Length;
    }

    /// <summary>Encodes a message into a new array.</summary>
    public static byte[] ToBytes(IProtoMessage message)
    {
        using var ms = new MemoryStream();
        message.WriteTo(new ProtoWriter(ms));
        return ms.ToArray();
    }

    /// <summary>A varint-encoded int64 field (negative values take ten bytes, as protobuf's int64 does).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, Varint);
        WriteVarint((ulong)value);
    }

    /// <summary>A float field (fixed 32 bits, little-endian).</summary>
    public void WriteFloat(int field, float value)
    {
        WriteTag(field, Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_scratch, value);
        WriteRaw(_scratch.AsSpan(0, 4));
    }

    /// <summary>A UTF-8 string field.</summary>
    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>A bytes field holding floats as little-endian IEEE 754 values (ONNX's raw_data).</summary>
    public void WriteFloatsAsBytes(int field, ReadOnlySpan<float> values)
    {
        WriteTag(field, LengthDelimited);
        WriteVarint((ulong)values.Length * 4);
        if (BitConverter.IsLittleEndian) { WriteRaw(MemoryMarshal.AsBytes(values)); return; }
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(_scratch, v);
            WriteRaw(_scratch.AsSpan(0, 4));
        }
    }

    /// <summary>A bytes field holding int64 values as little-endian 64-bit integers (ONNX's raw_data).</summary>
    public void WriteInt64sAsBytes(int field, ReadOnlySpan<long> values)
    {
        WriteTag(field, LengthDelimited);
        WriteVarint((ulong)values.Length * 8);
        foreach (long v in values)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_scratch, v);
            WriteRaw(_scratch.AsSpan(0, 8));
        }
    }

    /// <summary>A repeated int64 field, one varint field per value (proto2's default, unpacked, as onnx.proto declares dims and ints).</summary>
    public void WriteRepeatedInt64s(int field, ReadOnlySpan<long> values)
    {
        foreach (long v in values) WriteInt64(field, v);
    }

    /// <summary>A nested message field: its length, then its fields.</summary>
    public void WriteMessage(int field, IProtoMessage message)
    {
        WriteTag(field, LengthDelimited);
        WriteVarint((ulong)SizeOf(message));
        message.WriteTo(this);
    }

    private void WriteTag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        int n = 0;
        while (value >= 0x80)
        {
            _scratch[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _scratch[n++] = (byte)value;
        WriteRaw(_scratch.AsSpan(0, n));
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        stream?.Write(bytes);
        Length += bytes.Length;
    }
}
