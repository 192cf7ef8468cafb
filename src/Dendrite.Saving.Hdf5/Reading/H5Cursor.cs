using System.Buffers.Binary;

namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>A bounds-checked little-endian reader over bytes read from the file; running past the end is a damaged file.</summary>
internal sealed class H5Cursor(H5Context context, byte[] bytes, string what)
{
    /// <summary>The bytes.</summary>
    public byte[] Bytes { get; } = bytes;

    /// <summary>The read position.</summary>
    public int Position { get; set; }

    /// <summary>Bytes left after the position.</summary>
    public int Remaining => Bytes.Length - Position;

    /// <summary>The read's context.</summary>
    public H5Context Context { get; } = context;

    private int Take(int n)
    {
        if (n < 0 || n > Remaining) throw Context.Bad($"{what} ends early: {n} more bytes needed at byte {Position} of {Bytes.Length} (truncated or corrupt)");
        int at = Position;
        Position += n;
        return at;
    }

    public byte U8() => Bytes[Take(1)];

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(Take(2)));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(Take(4)));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(Take(8)));

    /// <summary>An unsigned little-endian integer of 1 to 8 bytes.</summary>
    public ulong Var(int size)
    {
        if (size is < 0 or > 8) throw Context.Bad($"{what} has a {size}-byte integer field");
        int at = Take(size);
        ulong v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | Bytes[at + i];
        return v;
    }

    /// <summary>A count stored in <paramref name="size"/> bytes, bounded by what is left (<paramref name="bytesEach"/> bytes per item).</summary>
    public int Count(int size, int bytesEach, string of)
    {
        ulong n = Var(size);
        if (n > (ulong)Remaining / (ulong)Math.Max(1, bytesEach))
            throw Context.Bad($"{what} claims {n} {of}, more than its {Remaining} remaining bytes can hold");
        return (int)n;
    }

    /// <summary>The next <paramref name="n"/> bytes.</summary>
    public ReadOnlySpan<byte> Span(int n) => Bytes.AsSpan(Take(n), n);

    /// <summary>A copy of the next <paramref name="n"/> bytes.</summary>
    public byte[] Array(int n) => Bytes.AsSpan(Take(n), n).ToArray();

    /// <summary>A sub-cursor over the next <paramref name="n"/> bytes.</summary>
    public H5Cursor Sub(int n, string of) => new(Context, Array(n), of);

    public void Skip(int n) => Take(n);

    /// <summary>Checks a 4-byte signature.</summary>
    public void Signature(string expected)
    {
        var s = Span(4);
        for (int i = 0; i < 4; i++)
            if (s[i] != expected[i]) throw Context.Bad($"{what} should start with the signature '{expected}' (corrupt or wrong address)");
    }

    /// <summary>Moves to the next multiple of <paramref name="n"/> (from the start of these bytes).</summary>
    public void Align(int n) => Position = Math.Min(Bytes.Length, (Position + n - 1) / n * n);

    /// <summary>A null-terminated string (the terminator is consumed).</summary>
    public string CString(string of)
    {
        int end = System.Array.IndexOf(Bytes, (byte)0, Position);
        if (end < 0) throw Context.Bad($"{of} in {what} has no terminating null byte");
        string s = System.Text.Encoding.UTF8.GetString(Bytes, Position, end - Position);
        Position = end + 1;
        return s;
    }
}
