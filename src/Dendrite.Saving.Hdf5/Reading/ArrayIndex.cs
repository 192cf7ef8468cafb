namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>The chunk indices of data layout version 4 that h5py writes with <c>libver="latest"</c>: the fixed array
/// ("FAHD"/"FADB", unpaged) and the extensible array ("EAHD"/"EAIB", chunks held in the index block). Each gives the
/// chunks in row-major order of the chunk grid: address, stored size and filter mask.</summary>
internal static class ArrayIndex
{
    public const int FixedArray = 3, ExtensibleArray = 4;

    public static List<(ulong Address, ulong Size, uint Mask)> Entries(H5Context c, int index, ulong address, ulong chunks, bool filtered, ulong chunkBytes)
    {
        return index == FixedArray ? Fixed(c, address, chunks, filtered, chunkBytes) : Extensible(c, address, chunks, filtered, chunkBytes);
    }

    private static List<(ulong, ulong, uint)> Fixed(H5Context c, ulong address, ulong chunks, bool filtered, ulong chunkBytes)
    {
        var h = c.Cursor(address, 4 + 4 + 8 + 8 + 4, "a fixed array header");
        h.Signature("FAHD");
        h.Skip(2);                                               // version, client
        int elementSize = h.U8(), pageBits = h.U8();
        ulong entries = h.U64(), block = h.U64();
        if (entries != chunks) throw c.Bad($"a fixed array index has {entries} entries for {chunks} chunks");
        if (pageBits < 64 && entries > 1UL << pageBits) throw c.Unsupported("a paged fixed array chunk index (over 1024 chunks with h5py's defaults)");
        var b = c.Cursor(block, checked(14 + entries * (ulong)elementSize), "a fixed array data block");
        b.Signature("FADB");
        b.Skip(2 + 8);                                           // version, client, header address
        return Elements(c, b, entries, elementSize, filtered, chunkBytes);
    }

    private static List<(ulong, ulong, uint)> Extensible(H5Context c, ulong address, ulong chunks, bool filtered, ulong chunkBytes)
    {
        var h = c.Cursor(address, 4 + 2 + 6 + 6 * 8 + 8 + 4, "an extensible array header");
        h.Signature("EAHD");
        h.Skip(2);                                               // version, client
        int elementSize = h.U8();
        h.Skip(1);
        int inIndex = h.U8();
        h.Skip(3 + 6 * 8);                                       // block sizes, statistics
        ulong block = h.U64();
        if (chunks > (ulong)inIndex) throw c.Unsupported($"an extensible array chunk index with {chunks} chunks (Dendrite reads up to the {inIndex} its index block holds)");
        var b = c.Cursor(block, checked(14 + (ulong)inIndex * (ulong)elementSize), "an extensible array index block");
        b.Signature("EAIB");
        b.Skip(2 + 8);
        return Elements(c, b, chunks, elementSize, filtered, chunkBytes);
    }

    private static List<(ulong, ulong, uint)> Elements(H5Context c, H5Cursor b, ulong count, int elementSize, bool filtered, ulong chunkBytes)
    {
        int sizeBytes = elementSize - 8 - 4;
        if (filtered ? sizeBytes is < 1 or > 8 : elementSize != 8) throw c.Bad($"a chunk index has {elementSize}-byte entries");
        var list = new List<(ulong, ulong, uint)>();
        for (ulong i = 0; i < count; i++)
        {
            c.Step();
            ulong at = b.U64();
            list.Add(filtered ? (at, b.Var(sizeBytes), b.U32()) : (at, chunkBytes, 0));
        }
        return list;
    }
}
