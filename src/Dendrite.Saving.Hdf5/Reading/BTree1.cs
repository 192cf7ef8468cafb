namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>Version 1 B-trees ("TREE"): type 0 indexes a group's symbol nodes, type 1 a dataset's chunks. Each node is
/// read once per walk (a node reached twice is a cycle), levels must go down by one, and the entry count is bounded by
/// the node's bytes.</summary>
internal static class BTree1
{
    /// <summary>Calls <paramref name="leaf"/> with each level-0 entry's left key and child address.</summary>
    public static void Walk(H5Context c, ulong address, int type, int keySize, Action<H5Cursor, ulong> leaf)
    {
        var seen = new HashSet<ulong>();
        Visit(c, address, type, keySize, leaf, seen, expectedLevel: -1);
    }

    private static void Visit(H5Context c, ulong address, int type, int keySize, Action<H5Cursor, ulong> leaf, HashSet<ulong> seen, int expectedLevel)
    {
        if (!seen.Add(address)) throw c.Bad($"the B-tree node at {address} is reached twice (a cycle)");
        var h = c.Cursor(address, 24, "a B-tree node");
        h.Signature("TREE");
        int nodeType = h.U8(), level = h.U8(), entries = h.U16();
        if (nodeType != type) throw c.Bad($"a B-tree node has type {nodeType}, expected {type}");
        if (level > 64 || (expectedLevel >= 0 && level != expectedLevel))
            throw c.Bad($"a B-tree node has level {level}{(expectedLevel >= 0 ? $" where {expectedLevel} was expected" : "")}");
        ulong size = checked((ulong)entries * (ulong)(keySize + 8) + (ulong)keySize);
        var body = c.Cursor(address + 24, size, "a B-tree node");
        for (int i = 0; i < entries; i++)
        {
            c.Step();
            var key = body.Sub(keySize, "a B-tree key");
            ulong child = body.U64();
            if (level == 0) leaf(key, child);
            else Visit(c, child, type, keySize, leaf, seen, level - 1);
        }
    }
}
