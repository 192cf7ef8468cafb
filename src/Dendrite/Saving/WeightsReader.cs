using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Dendrite.Saving;

/// <summary>
/// A cursor over the body of a weights file: each read checks that the bytes are there and otherwise throws an
/// <see cref="InvalidDataException"/> naming the file and the field (never an end-of-stream or overflow exception).
/// </summary>
internal sealed class WeightsReader(ReadOnlyMemory<byte> body, string path)
{
    private int _pos;

    /// <summary>Bytes not read yet.</summary>
    public int Left => body.Length - _pos;

    public uint UInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public byte Byte(string what) => Take(1, what)[0];

    public string Name(string what) => Encoding.UTF8.GetString(Take(BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what)), what));

    public float[] Floats(int count, string what)
    {
        var src = Take(4L * count, what);
        var values = new float[count];
        if (BitConverter.IsLittleEndian) src.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        else for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
        return values;
    }

    private ReadOnlySpan<byte> Take(long n, string what)
    {
        if (n > Left)
            throw new InvalidDataException($"{path} is corrupt: {what} needs {n} bytes, only {Left} are left; the model was not changed.");
        var span = body.Span.Slice(_pos, (int)n);
        _pos += (int)n;
        return span;
    }
}
