namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>Global heap collections ("GCOL"), where variable-length strings live; each collection is read once.</summary>
internal sealed class GlobalHeap(H5Context c)
{
    private readonly Dictionary<ulong, Dictionary<int, (int At, int Length)>> _index = [];
    private readonly Dictionary<ulong, byte[]> _bytes = [];

    /// <summary>The bytes of object <paramref name="index"/> in the collection at <paramref name="address"/>, at most
    /// <paramref name="length"/> of them.</summary>
    public ReadOnlySpan<byte> Object(ulong address, int index, int length)
    {
        if (!_index.TryGetValue(address, out var objects)) objects = Load(address);
        if (!objects.TryGetValue(index, out var o)) throw c.Bad($"a variable-length string points to object {index} of the global heap at {address}, which has no such object");
        if (length > o.Length) throw c.Bad($"a variable-length string of {length} bytes is longer than its global heap object ({o.Length} bytes)");
        return _bytes[address].AsSpan(o.At, length);
    }

    private Dictionary<int, (int, int)> Load(ulong address)
    {
        var h = c.Cursor(address, 16, "a global heap collection");
        h.Signature("GCOL");
        if (h.U8() != 1) throw c.Bad("a global heap collection has an unknown version");
        h.Skip(3);
        ulong size = h.U64();
        if (size < 16 || size > int.MaxValue) throw c.Bad($"a global heap collection claims {size} bytes");
        var all = c.Cursor(address, size, "a global heap collection");
        all.Skip(16);
        var objects = new Dictionary<int, (int, int)>();
        while (all.Remaining >= 16)
        {
            c.Step();
            int index = all.U16();
            all.Skip(6);                                         // reference count, reserved
            ulong length = all.U64();
            if (index == 0) break;                               // free space: the rest of the collection
            if (length > (ulong)all.Remaining) throw c.Bad($"global heap object {index} claims {length} bytes, more than its collection holds");
            objects[index] = (all.Position, (int)length);
            all.Skip((int)length);
            all.Align(8);
        }
        _index[address] = objects;
        _bytes[address] = all.Bytes;
        return objects;
    }
}
