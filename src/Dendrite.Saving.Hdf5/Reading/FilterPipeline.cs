using System.IO.Compression;

namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>A filter pipeline message (versions 1 and 2) and the filters Dendrite undoes: deflate (1), shuffle (2) and
/// Fletcher-32 (3, checksum dropped). Anything else is refused.</summary>
internal sealed record FilterPipeline(int[] Ids, bool[] Optional)
{
    public const int Deflate = 1, Shuffle = 2, Fletcher32 = 3;

    public static FilterPipeline Parse(H5Cursor d)
    {
        var c = d.Context;
        int version = d.U8(), n = d.U8();
        if (n > 32) throw c.Bad($"a filter pipeline claims {n} filters (HDF5 allows 32)");
        if (version == 1) d.Skip(6);
        else if (version != 2) throw c.Bad($"a filter pipeline message has version {version}");
        var ids = new int[n];
        var optional = new bool[n];
        for (int i = 0; i < n; i++)
        {
            int id = d.U16();
            int nameLength = version == 1 || id >= 256 ? d.U16() : 0;
            int flags = d.U16(), values = d.U16();
            if (version == 1) nameLength = (nameLength + 7) / 8 * 8;
            d.Skip(nameLength);
            d.Skip(checked(4 * values));
            if (version == 1 && values % 2 == 1) d.Skip(4);
            if (id is not (Deflate or Shuffle or Fletcher32))
                throw c.Unsupported($"the HDF5 filter {id} (Dendrite undoes deflate, shuffle and fletcher32)");
            ids[i] = id;
            optional[i] = (flags & 1) != 0;
        }
        return new(ids, optional);
    }

    /// <summary>Undoes the filters on one chunk (in reverse order) whose data must come out as exactly
    /// <paramref name="expected"/> bytes; <paramref name="mask"/> bit i set means filter i was skipped.</summary>
    public byte[] Undo(H5Context c, byte[] data, int expected, int elementSize, uint mask)
    {
        for (int i = Ids.Length - 1; i >= 0; i--)
        {
            if ((mask & (1u << i)) != 0) continue;
            data = Ids[i] switch
            {
                Deflate => Inflate(c, data, expected),
                Shuffle => Unshuffle(data, elementSize),
                _ => data.Length >= 4 ? data[..^4] : throw c.Bad("a Fletcher-32 chunk is shorter than its checksum"),
            };
        }
        if (data.Length != expected) throw c.Bad($"a chunk holds {data.Length} bytes after its filters, not the {expected} its shape needs");
        return data;
    }

    private static byte[] Inflate(H5Context c, byte[] data, int expected)
    {
        if (expected > 1032L * data.Length + 1024) throw c.Bad($"a deflated chunk of {data.Length} bytes cannot hold the {expected} bytes its shape needs");
        c.Charge(expected, "a decompressed chunk");
        var output = new byte[expected];
        try
        {
            using var z = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
            int n = z.ReadAtLeast(output, expected, throwOnEndOfStream: false);
            if (n < expected) throw c.Bad($"a deflated chunk holds {n} bytes, not the {expected} its shape needs");
            if (z.ReadByte() >= 0) throw c.Bad($"a deflated chunk holds more than the {expected} bytes its shape needs");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(c.FileName, StringComparison.Ordinal))
        {
            throw c.Bad($"a deflated chunk is corrupt ({e.Message})");
        }
        return output;
    }

    private static byte[] Unshuffle(byte[] data, int elementSize)
    {
        if (elementSize <= 1) return data;
        int n = data.Length / elementSize;
        var output = new byte[data.Length];
        for (int b = 0; b < elementSize; b++)
            for (int i = 0; i < n; i++) output[i * elementSize + b] = data[b * n + i];
        Array.Copy(data, n * elementSize, output, n * elementSize, data.Length - n * elementSize);
        return output;
    }
}
