namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>A data layout message (version 3: compact, contiguous, chunked with a v1 B-tree; version 4: the same, with
/// single-chunk, implicit, fixed-array and extensible-array chunk indices) and the reading of a dataset's raw bytes through it.</summary>
internal sealed record DataLayout(int Class, ulong Address, ulong Size, byte[]? Compact, ulong[] Chunk, int Index, ulong FilteredSize, uint FilterMask)
{
    public const int CompactClass = 0, ContiguousClass = 1, ChunkedClass = 2;
    public const int BTreeIndex = 0, SingleChunkIndex = 1, ImplicitIndex = 2;

    public static DataLayout Parse(H5Cursor d)
    {
        var c = d.Context;
        int version = d.U8();
        if (version is not (3 or 4)) throw c.Unsupported($"data layout message version {version} (Dendrite reads versions 3 and 4)");
        int cls = d.U8();
        switch (cls)
        {
            case CompactClass:
                int size = d.U16();
                return new(cls, 0, (ulong)size, d.Array(size), [], 0, 0, 0);
            case ContiguousClass:
                ulong address = d.U64(), length = d.U64();
                return new(cls, address, length, null, [], 0, 0, 0);
            case ChunkedClass when version == 3:
            {
                int rank = d.U8();
                if (rank is < 2 or > 33) throw c.Bad($"a chunked layout has {rank} dimensions");
                ulong tree = d.U64();
                var dims = new ulong[rank];
                for (int i = 0; i < rank; i++) dims[i] = d.U32();
                return new(cls, tree, 0, null, dims, BTreeIndex, 0, 0);
            }
            case ChunkedClass:
            {
                int flags = d.U8(), rank = d.U8(), width = d.U8();
                if (rank is < 2 or > 33 || width is < 1 or > 8) throw c.Bad($"a chunked layout has {rank} dimensions of {width} bytes");
                var dims = new ulong[rank];
                for (int i = 0; i < rank; i++) dims[i] = d.Var(width);
                int index = d.U8();
                ulong filtered = 0;
                uint mask = 0;
                if (index == SingleChunkIndex && (flags & 2) != 0) { filtered = d.U64(); mask = d.U32(); }
                else if (index == ArrayIndex.FixedArray) d.Skip(1);            // page bits (read again from the array's header)
                else if (index == ArrayIndex.ExtensibleArray) d.Skip(5);       // block parameters (likewise)
                else if (index != SingleChunkIndex && index != ImplicitIndex)
                    throw c.Unsupported($"chunk index type {index} (Dendrite reads v1 B-trees, single-chunk, implicit, fixed and extensible array indices)");
                return new(cls, d.U64(), 0, null, dims, index, filtered, mask);
            }
            default:
                throw c.Unsupported($"data layout class {cls}");
        }
    }

    /// <summary>The dataset's bytes, <paramref name="count"/> elements of <paramref name="elementSize"/> (missing data reads as zeros).</summary>
    public byte[] ReadRaw(H5Context c, Dataspace space, int elementSize, long count, FilterPipeline? filters)
    {
        long total = checked(count * elementSize);
        switch (Class)
        {
            case CompactClass:
                if (Compact!.Length < total) throw c.Bad($"compact data holds {Compact.Length} bytes, not the {total} the shape needs");
                return Compact[..(int)total];
            case ContiguousClass:
                if (H5Context.Undefined(Address)) { c.Charge(total, "the dataset"); return new byte[total]; }
                if (Size < (ulong)total) throw c.Bad($"contiguous data holds {Size} bytes, not the {total} the shape needs");
                return c.Read(Address, (ulong)total, "the dataset's data");
            default:
                return Chunked.Read(c, this, space, elementSize, total, filters);
        }
    }
}
