namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>A local heap ("HEAP"): the names of a symbol-table group's links, as null-terminated strings.</summary>
internal sealed class LocalHeap
{
    private readonly H5Cursor _data;

    public LocalHeap(H5Context c, ulong address)
    {
        var h = c.Cursor(address, 32, "a local heap");
        h.Signature("HEAP");
        if (h.U8() != 0) throw c.Bad("a local heap has an unknown version");
        h.Skip(3);
        ulong size = h.U64();
        h.Skip(8);                                               // free list
        ulong data = h.U64();
        _data = c.Cursor(data, size, "a local heap's data");
    }

    /// <summary>The name at <paramref name="offset"/>.</summary>
    public string Name(ulong offset)
    {
        if (offset >= (ulong)_data.Bytes.Length) throw _data.Context.Bad($"a link name at offset {offset} lies outside its local heap ({_data.Bytes.Length} bytes)");
        _data.Position = (int)offset;
        return _data.CString("a link name");
    }
}
