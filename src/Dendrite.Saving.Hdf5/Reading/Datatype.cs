namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>The HDF5 datatype classes Dendrite reads.</summary>
internal enum TypeClass { FixedPoint = 0, Float = 1, String = 3, VariableLength = 9 }

/// <summary>A datatype message, reduced to what Dendrite converts: class, size, byte order, sign, string padding, and
/// whether a variable-length type is a string.</summary>
internal sealed record Datatype(int Class, int Size, bool BigEndian, bool Signed, int Padding, bool VariableString)
{
    /// <summary>Parses a datatype message (the cursor moves past it, including a variable-length type's base type).</summary>
    public static Datatype Parse(H5Cursor d, int depth = 0)
    {
        var c = d.Context;
        if (depth > 8) throw c.Bad("a datatype nests variable-length types more than 8 deep");
        int classAndVersion = d.U8();
        int cls = classAndVersion & 0x0F, version = classAndVersion >> 4;
        if (version is < 1 or > 4) throw c.Bad($"a datatype message has version {version}");
        int bits = d.U8() | (d.U8() << 8) | (d.U8() << 16);
        uint size = d.U32();
        if (size is 0 or > (1u << 30)) throw c.Bad($"a datatype claims an element size of {size} bytes");
        switch (cls)
        {
            case (int)TypeClass.FixedPoint:
                d.Skip(4);                                       // bit offset, precision
                return new(cls, (int)size, (bits & 1) != 0, (bits & 8) != 0, 0, false);
            case (int)TypeClass.Float:
                d.Skip(12);                                      // bit offset, precision, exponent and mantissa layout, bias
                if ((bits & 0x40) != 0) throw c.Unsupported("a VAX-order floating-point type");
                return new(cls, (int)size, (bits & 1) != 0, true, 0, false);
            case (int)TypeClass.String:
                return new(cls, (int)size, false, false, bits & 0x0F, false);
            case (int)TypeClass.VariableLength:
                Parse(d, depth + 1);                             // the base type, read past
                return new(cls, (int)size, false, false, (bits >> 4) & 0x0F, (bits & 0x0F) == 1);
            case 2 or 4 or 5 or 6 or 7 or 8 or 10:               // time, bitfield, opaque, compound, reference, enum, array
                return new(cls, (int)size, false, false, 0, false);
            default:
                throw c.Bad($"a datatype has the unknown class {cls}");
        }
    }

    /// <summary>The class's name, for messages.</summary>
    public string Describe() => Class switch
    {
        0 => $"{(Signed ? "" : "u")}int{Size * 8}",
        1 => $"float{Size * 8}",
        3 => $"fixed-length string ({Size} bytes)",
        9 => VariableString ? "variable-length string" : "variable-length sequence",
        _ => $"class {Class} ({Size} bytes)",
    };
}
