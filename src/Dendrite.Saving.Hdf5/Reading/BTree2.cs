namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>Version 2 B-trees ("BTHD", internal "BTIN", leaf "BTLF"): the records of a dense group's name index (type 5)
/// or a dense attribute store's name index (type 8), in tree order.</summary>
internal static class BTree2
{
    private const int Prefix = 4 + 1 + 1 + 4;                    // signature, version, type, checksum

    public static List<byte[]> Records(H5Context c, ulong address, int type)
    {
        var h = c.Cursor(address, 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + 8 + 2 + 8 + 4, "a version 2 B-tree header");
        h.Signature("BTHD");
        if (h.U8() != 0) throw c.Bad("a version 2 B-tree has an unknown version");
        int t = h.U8();
        if (t != type) throw c.Bad($"a version 2 B-tree has type {t}, expected {type}");
        uint nodeSize = h.U32();
        int recordSize = h.U16(), depth = h.U16();
        h.Skip(2);
        ulong root = h.U64();
        int rootRecords = h.U16();
        if (nodeSize < 64 || nodeSize > (1u << 24) || recordSize == 0 || recordSize > nodeSize || depth > 32)
            throw c.Bad($"a version 2 B-tree has impossible sizes (node {nodeSize}, record {recordSize}, depth {depth})");
        // The widths of the child record counts, as HDF5 computes them.
        var maxRecords = new ulong[depth + 1];
        var cumulative = new ulong[depth + 1];
        var cumulativeSize = new int[depth + 1];
        maxRecords[0] = (nodeSize - Prefix) / (ulong)recordSize;
        cumulative[0] = maxRecords[0];
        int maxRecordSize = EncodedSize(maxRecords[0]);
        for (int d = 1; d <= depth; d++)
        {
            ulong pointer = (ulong)(8 + maxRecordSize + (d > 1 ? cumulativeSize[d - 1] : 0));
            if (nodeSize < Prefix + pointer) throw c.Bad("a version 2 B-tree's nodes are too small for their pointers");
            maxRecords[d] = (nodeSize - Prefix - pointer) / ((ulong)recordSize + pointer);
            cumulative[d] = checked((maxRecords[d] + 1) * cumulative[d - 1] + maxRecords[d]);
            cumulativeSize[d] = EncodedSize(cumulative[d]);
        }
        var records = new List<byte[]>();
        if (!H5Context.Undefined(root) && rootRecords > 0)
            Node(c, root, depth, rootRecords, recordSize, nodeSize, maxRecordSize, cumulativeSize, records, []);
        return records;
    }

    private static int EncodedSize(ulong n) => (System.Numerics.BitOperations.Log2(Math.Max(1, n)) / 8) + 1;

    private static void Node(H5Context c, ulong address, int depth, int count, int recordSize, uint nodeSize, int maxRecordSize,
        int[] cumulativeSize, List<byte[]> records, HashSet<ulong> seen)
    {
        if (!seen.Add(address)) throw c.Bad($"the B-tree node at {address} is reached twice (a cycle)");
        var n = c.Cursor(address, nodeSize, "a version 2 B-tree node");
        n.Signature(depth == 0 ? "BTLF" : "BTIN");
        n.Skip(2);                                               // version, type
        if ((ulong)count * (ulong)recordSize > (ulong)n.Remaining) throw c.Bad($"a version 2 B-tree node claims {count} records, more than it holds");
        var mine = new List<byte[]>(count);
        for (int i = 0; i < count; i++) { c.Step(); mine.Add(n.Array(recordSize)); }
        if (depth == 0) { records.AddRange(mine); return; }
        for (int i = 0; i <= count; i++)
        {
            ulong child = n.U64();
            int childCount = (int)Math.Min(int.MaxValue, n.Var(maxRecordSize));
            if (depth > 1) n.Skip(cumulativeSize[depth - 1]);
            Node(c, child, depth - 1, childCount, recordSize, nodeSize, maxRecordSize, cumulativeSize, records, seen);
            if (i < count) records.Add(mine[i]);
        }
    }
}
