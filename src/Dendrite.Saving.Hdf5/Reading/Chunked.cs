namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>Chunked datasets: the chunks found through the index are read, their filters undone (each chunk's output
/// bounded by its shape), and copied into place.</summary>
internal static class Chunked
{
    public static byte[] Read(H5Context c, DataLayout layout, Dataspace space, int elementSize, long total, FilterPipeline? filters)
    {
        int rank = space.Dims.Length;
        if (layout.Chunk.Length != rank + 1) throw c.Bad($"a chunked layout has {layout.Chunk.Length - 1} dimensions for a {rank}-dimensional dataset");
        if (layout.Chunk[rank] != (ulong)elementSize) throw c.Bad($"chunks of {layout.Chunk[rank]}-byte elements for a {elementSize}-byte type");
        long chunkBytes = elementSize;
        for (int i = 0; i < rank; i++)
        {
            if (layout.Chunk[i] == 0) throw c.Bad("a chunk dimension is 0");
            chunkBytes = checked(chunkBytes * (long)Math.Min(layout.Chunk[i], int.MaxValue));
            if (chunkBytes > Math.Min(int.MaxValue, checked(c.Length * 1100L + (1 << 20))))
                throw c.Bad($"chunks of {chunkBytes} bytes or more are impossible for a {c.Length}-byte file");
        }
        c.Charge(total, "the dataset");
        var output = new byte[total];
        void Place(ulong[] offset, ulong address, ulong size, uint mask)
        {
            c.Step();
            if (H5Context.Undefined(address)) return;
            for (int i = 0; i < rank; i++)
                if (offset[i] % layout.Chunk[i] != 0 || offset[i] >= Math.Max(1, space.Dims[i]))
                    throw c.Bad($"a chunk at ({string.Join(", ", offset)}) is not on the chunk grid inside the dataset");
            if (size > int.MaxValue) throw c.Bad($"a chunk claims {size} bytes");
            byte[] data = c.Read(address, size, "a chunk");
            data = filters is null ? (data.Length >= chunkBytes ? data : throw c.Bad($"a chunk holds {data.Length} bytes, not {chunkBytes}"))
                : filters.Undo(c, data, (int)chunkBytes, elementSize, mask);
            Copy(data, output, offset, layout.Chunk, space.Dims, elementSize);
        }
        if (H5Context.Undefined(layout.Address)) return output;     // no chunk written yet: the fill value, zeros
        switch (layout.Index)
        {
            case DataLayout.BTreeIndex:
                int keySize = 8 + 8 * (rank + 1);
                BTree1.Walk(c, layout.Address, type: 1, keySize, (key, child) =>
                {
                    uint size = key.U32(), mask = key.U32();
                    var offset = new ulong[rank];
                    for (int i = 0; i < rank; i++) offset[i] = key.U64();
                    Place(offset, child, size, mask);
                });
                break;
            case DataLayout.SingleChunkIndex:
                Place(new ulong[rank], layout.Address, filters is null ? (ulong)chunkBytes : layout.FilteredSize, layout.FilterMask);
                break;
            default:                                             // implicit, fixed or extensible array: the chunk grid in row-major order
                var grid = new ulong[rank];
                ulong chunks = 1;
                for (int i = 0; i < rank; i++) { grid[i] = (space.Dims[i] + layout.Chunk[i] - 1) / layout.Chunk[i]; chunks = checked(chunks * grid[i]); }
                if (chunks > (ulong)c.Length) throw c.Bad($"{chunks} chunks are impossible for a {c.Length}-byte file");
                List<(ulong Address, ulong Size, uint Mask)>? entries = null;
                if (layout.Index == DataLayout.ImplicitIndex) { if (filters is not null) throw c.Bad("an implicit chunk index with filters"); }
                else entries = ArrayIndex.Entries(c, layout.Index, layout.Address, chunks, filters is not null, (ulong)chunkBytes);
                for (ulong k = 0; k < chunks; k++)
                {
                    var offset = new ulong[rank];
                    ulong rest = k;
                    for (int i = rank - 1; i >= 0; i--) { offset[i] = rest % grid[i] * layout.Chunk[i]; rest /= grid[i]; }
                    if (entries is null) Place(offset, checked(layout.Address + k * (ulong)chunkBytes), (ulong)chunkBytes, 0);
                    else Place(offset, entries[(int)k].Address, entries[(int)k].Size, entries[(int)k].Mask);
                }
                break;
        }
        return output;
    }

    /// <summary>Copies the part of a chunk that lies inside the dataset, one innermost row at a time.</summary>
    private static void Copy(byte[] chunk, byte[] output, ulong[] offset, ulong[] chunkDims, ulong[] dims, int elementSize)
    {
        int rank = dims.Length;
        if (rank == 0) { Array.Copy(chunk, output, Math.Min(chunk.Length, output.Length)); return; }
        var index = new ulong[rank];                             // position inside the chunk (innermost stays 0)
        long row = (long)Math.Min(chunkDims[rank - 1], dims[rank - 1] - offset[rank - 1]) * elementSize;
        while (true)
        {
            bool inside = true;
            long src = 0, dst = 0;
            for (int i = 0; i < rank; i++)
            {
                ulong at = offset[i] + index[i];
                if (at >= dims[i]) { inside = false; break; }
                src = src * (long)chunkDims[i] + (long)index[i];
                dst = dst * (long)dims[i] + (long)at;
            }
            if (inside) Array.Copy(chunk, src * elementSize, output, dst * elementSize, row);
            int d = rank - 2;
            while (d >= 0 && ++index[d] >= chunkDims[d]) index[d--] = 0;
            if (d < 0) return;
        }
    }
}
