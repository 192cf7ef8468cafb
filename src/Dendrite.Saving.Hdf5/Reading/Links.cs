namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>A group's children: name and object header address, from a symbol table (v1 B-tree of symbol nodes and a
/// local heap) or from link messages (compact in the header, or dense in a fractal heap indexed by a v2 B-tree).</summary>
internal static class Links
{
    public static List<(string Name, ulong Address)> Read(H5Context c, List<HeaderMessage> messages)
    {
        var links = new List<(string Name, ulong Address, long Order)>();
        foreach (var m in messages)
        {
            if (m.Type == ObjectHeader.SymbolTable)
            {
                var d = new H5Cursor(c, m.Data, "a symbol table message");
                ulong tree = d.U64(), heapAddress = d.U64();
                var heap = new LocalHeap(c, heapAddress);
                BTree1.Walk(c, tree, type: 0, keySize: 8, (_, node) => SymbolNode(c, node, heap, links));
            }
            else if (m.Type == ObjectHeader.Link) Add(c, new H5Cursor(c, m.Data, "a link message"), links);
            else if (m.Type == ObjectHeader.LinkInfo) Dense(c, new H5Cursor(c, m.Data, "a link info message"), links);
        }
        // Creation order where the file tracks it (h5py's track_order), else by name as h5py lists them.
        if (links.Count > 0 && links.All(l => l.Order >= 0)) links.Sort((a, b) => a.Order.CompareTo(b.Order));
        else links.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in links)
            if (!names.Add(l.Name)) throw c.Bad($"the group has two links named '{l.Name}'");
        return links.Select(l => (l.Name, l.Address)).ToList();
    }

    private static void SymbolNode(H5Context c, ulong address, LocalHeap heap, List<(string, ulong, long)> links)
    {
        var h = c.Cursor(address, 8, "a symbol node");
        h.Signature("SNOD");
        if (h.U8() != 1) throw c.Bad("a symbol node has an unknown version");
        h.Skip(1);
        int count = h.U16();
        var entries = c.Cursor(address + 8, (ulong)count * 40, "a symbol node");
        for (int i = 0; i < count; i++)
        {
            c.Step();
            ulong nameOffset = entries.U64(), header = entries.U64();
            entries.Skip(24);                                    // cache type, reserved, scratch
            links.Add((heap.Name(nameOffset), header, -1));
        }
    }

    private static void Add(H5Context c, H5Cursor d, List<(string, ulong, long)> links)
    {
        c.Step();
        if (d.U8() != 1) throw c.Bad("a link message has an unknown version");
        int flags = d.U8();
        int type = (flags & 0x08) != 0 ? d.U8() : 0;
        long order = (flags & 0x04) != 0 ? (long)(d.U64() & long.MaxValue) : -1;
        if ((flags & 0x10) != 0) d.U8();                         // character set: ASCII or UTF-8, both read as UTF-8
        int nameLength = d.Count(1 << (flags & 3), 1, "name bytes");
        if (nameLength == 0) throw c.Bad("a link has an empty name");
        string name = System.Text.Encoding.UTF8.GetString(d.Span(nameLength));
        if (type != 0) throw c.Unsupported($"the {(type == 1 ? "soft" : type == 64 ? "external" : $"type-{type}")} link '{name}' (Dendrite follows hard links)");
        links.Add((name, d.U64(), order));
    }

    private static void Dense(H5Context c, H5Cursor d, List<(string, ulong, long)> links)
    {
        if (d.U8() != 0) throw c.Bad("a link info message has an unknown version");
        int flags = d.U8();
        if ((flags & 1) != 0) d.Skip(8);                         // maximum creation index
        ulong heapAddress = d.U64(), nameIndex = d.U64();
        if (H5Context.Undefined(heapAddress)) return;            // compact: the links are link messages
        var heap = new FractalHeap(c, heapAddress);
        foreach (var record in BTree2.Records(c, nameIndex, type: 5))
        {
            if (record.Length < 4 + 7) throw c.Bad("a link name index record is too short");
            Add(c, new H5Cursor(c, heap.Object(record.AsSpan(4, 7)), "a link message"), links);
        }
    }
}
