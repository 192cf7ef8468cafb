namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>One header message: its type, flags and bytes.</summary>
internal sealed record HeaderMessage(int Type, int Flags, byte[] Data);

/// <summary>Object headers, version 1 and version 2 ("OHDR"), with their continuation blocks ("OCHK" in version 2).</summary>
internal static class ObjectHeader
{
    public const int Dataspace = 0x01, LinkInfo = 0x02, Datatype = 0x03, Link = 0x06, Layout = 0x08, FilterPipeline = 0x0B,
        Attribute = 0x0C, Continuation = 0x10, SymbolTable = 0x11, AttributeInfo = 0x15;

    /// <summary>The messages of the object header at <paramref name="address"/> (visited once per read).</summary>
    public static List<HeaderMessage> Read(H5Context c, ulong address)
    {
        c.Check(address, 16, "an object header");
        c.Visit(address);
        var messages = new List<HeaderMessage>();
        var first = c.ReadUpTo(address, 16, "an object header");
        bool v2 = first.Remaining >= 4 && first.Bytes[0] == 'O' && first.Bytes[1] == 'H' && first.Bytes[2] == 'D' && first.Bytes[3] == 'R';
        var pending = new Queue<(ulong At, ulong Length)>();
        int blocks = 0;
        bool creationOrder = v2 ? ReadV2(c, address, messages, pending) : ReadV1(c, address, messages, pending);
        while (pending.Count > 0)
        {
            if (++blocks > 10_000) throw c.Bad("the object header has too many continuation blocks");
            var (at, length) = pending.Dequeue();
            var block = c.Cursor(at, length, "an object header continuation block");
            if (v2)
            {
                block.Signature("OCHK");
                ParseV2(c, block, Math.Max(0, (int)length - 4), messages, pending, creationOrder);
            }
            else ParseV1(c, block, messages, pending, int.MaxValue);
        }
        return messages;
    }

    private static bool ReadV1(H5Context c, ulong address, List<HeaderMessage> messages, Queue<(ulong, ulong)> pending)
    {
        var h = c.Cursor(address, 16, "an object header");
        int version = h.U8();
        if (version != 1) throw c.Bad($"the address {address} holds no object header (version {version}; HDF5 has versions 1 and 2)");
        h.Skip(1);
        int count = h.U16();
        h.Skip(4);                                               // reference count
        uint size = h.U32();
        var block = c.Cursor(address + 16, size, "an object header");
        ParseV1(c, block, messages, pending, count);
        return false;
    }

    private static void ParseV1(H5Context c, H5Cursor b, List<HeaderMessage> messages, Queue<(ulong, ulong)> pending, int count)
    {
        while (b.Remaining >= 8 && messages.Count < count)
        {
            c.Step();
            int type = b.U16(), size = b.U16(), flags = b.U8();
            b.Skip(3);
            Add(c, new HeaderMessage(type, flags, b.Array(size)), messages, pending);
            b.Align(8);
        }
    }

    private static bool ReadV2(H5Context c, ulong address, List<HeaderMessage> messages, Queue<(ulong, ulong)> pending)
    {
        var h = c.ReadUpTo(address, 4 + 2 + 16 + 4 + 8, "an object header");
        h.Signature("OHDR");
        int version = h.U8();
        if (version != 2) throw c.Bad($"an object header has version {version} after 'OHDR' (HDF5 has version 2)");
        int flags = h.U8();
        if ((flags & 0x20) != 0) h.Skip(16);                     // times
        if ((flags & 0x10) != 0) h.Skip(4);                      // attribute phase change values
        ulong size = h.Var(1 << (flags & 3));
        ulong start = address + (ulong)h.Position;
        var block = c.Cursor(start, checked(size + 4), "an object header");
        bool creationOrder = (flags & 0x04) != 0;
        ParseV2(c, block, (int)size, messages, pending, creationOrder);
        return creationOrder;
    }

    private static void ParseV2(H5Context c, H5Cursor b, int end, List<HeaderMessage> messages, Queue<(ulong, ulong)> pending, bool creationOrder)
    {
        int headerSize = creationOrder ? 6 : 4;
        while (end - b.Position >= headerSize)
        {
            c.Step();
            int type = b.U8(), size = b.U16(), flags = b.U8();
            if (creationOrder) b.Skip(2);
            if (size > end - b.Position) throw c.Bad($"an object header message of {size} bytes runs past its block");
            Add(c, new HeaderMessage(type, flags, b.Array(size)), messages, pending);
        }
    }

    private static void Add(H5Context c, HeaderMessage m, List<HeaderMessage> messages, Queue<(ulong, ulong)> pending)
    {
        if (m.Type == Continuation)
        {
            var d = new H5Cursor(c, m.Data, "a continuation message");
            ulong at = d.U64(), length = d.U64();
            c.Check(at, length, "an object header continuation block");
            pending.Enqueue((at, length));
            return;
        }
        if ((m.Flags & 0x02) != 0 && m.Type is Datatype or Dataspace or FilterPipeline or Attribute)
            throw c.Bad($"a header message of type {m.Type} is marked shared (committed); Dendrite reads files without shared messages");
        messages.Add(m);
    }
}
