namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>An object's attributes (attribute messages v1-v3, and dense storage through an attribute info message),
/// kept as <see cref="Dendrite.Saving.HdfGroup.Attributes"/> holds them: string, string[], long (int64 scalar) and
/// double[] (float64 array); other kinds are skipped as before.</summary>
internal static class Attributes
{
    public static void Read(H5Context c, List<HeaderMessage> messages, Dictionary<string, object> into, GlobalHeap heap)
    {
        foreach (var m in messages)
        {
            if (m.Type == ObjectHeader.Attribute) One(c, new H5Cursor(c, m.Data, "an attribute message"), into, heap);
            else if (m.Type == ObjectHeader.AttributeInfo)
            {
                var d = new H5Cursor(c, m.Data, "an attribute info message");
                if (d.U8() != 0) throw c.Bad("an attribute info message has an unknown version");
                int flags = d.U8();
                if ((flags & 1) != 0) d.Skip(2);
                ulong heapAddress = d.U64(), nameIndex = d.U64();
                if (H5Context.Undefined(heapAddress)) continue;
                var fractal = new FractalHeap(c, heapAddress);
                foreach (var record in BTree2.Records(c, nameIndex, type: 8))
                {
                    if (record.Length < 8) throw c.Bad("an attribute name index record is too short");
                    One(c, new H5Cursor(c, fractal.Object(record.AsSpan(0, 8)), "an attribute message"), into, heap);
                }
            }
        }
    }

    private static void One(H5Context c, H5Cursor d, Dictionary<string, object> into, GlobalHeap heap)
    {
        c.Step();
        int version = d.U8(), flags = d.U8();
        int nameSize = d.U16(), typeSize = d.U16(), spaceSize = d.U16();
        if (version is < 1 or > 3) throw c.Bad($"an attribute message has version {version}");
        if (version == 3) d.U8();                                // name encoding
        if (version >= 2 && (flags & 3) != 0) throw c.Unsupported("an attribute with a shared datatype or dataspace");
        int Padded(int n) => version == 1 ? (n + 7) / 8 * 8 : n;
        var nameBytes = d.Span(Padded(nameSize))[..nameSize];
        int cut = nameBytes.IndexOf((byte)0);
        string name = System.Text.Encoding.UTF8.GetString(cut >= 0 ? nameBytes[..cut] : nameBytes);
        var type = Datatype.Parse(d.Sub(Padded(typeSize), "an attribute's datatype"));
        var space = Dataspace.Parse(d.Sub(Padded(spaceSize), "an attribute's dataspace"));
        if (space.Null) return;
        string path = c.Path;
        c.Path = path + "@" + name;
        try
        {
            long count = space.Count(c, type.Size);
            if (count * type.Size > d.Remaining) throw c.Bad($"the attribute's {count} values of {type.Size} bytes do not fit its message ({d.Remaining} bytes)");
            bool scalar = space.Dims.Length == 0;
            object? value = null;
            if (type.Class == (int)TypeClass.String || type.Class == (int)TypeClass.VariableLength && type.VariableString)
            {
                if (type.Class == (int)TypeClass.VariableLength && type.Size != 16) throw c.Bad($"a variable-length string has {type.Size}-byte elements, not 16");
                var s = Values.Strings(c, type, d.Array((int)(count * type.Size)), count, heap);
                value = scalar ? s[0] : s;
            }
            else if (type.Class == (int)TypeClass.Float && type.Size == 8 && !scalar) value = Values.Doubles(c, type, d.Array((int)(count * 8)), count);
            else if (type.Class == (int)TypeClass.FixedPoint && type.Size == 8 && scalar) value = Values.Longs(c, type, d.Array(8), 1)[0];
            if (value is not null) into[name] = value;
        }
        finally { c.Path = path; }
    }
}
