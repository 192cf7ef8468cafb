namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>A dataspace message: the dimensions (empty for a scalar) or null (no data).</summary>
internal sealed record Dataspace(ulong[] Dims, bool Null)
{
    /// <summary>Parses a dataspace message (versions 1 and 2).</summary>
    public static Dataspace Parse(H5Cursor d)
    {
        var c = d.Context;
        int version = d.U8(), rank = d.U8(), flags = d.U8();
        bool isNull = false;
        if (version == 1) d.Skip(5);
        else if (version == 2) isNull = d.U8() == 2;
        else throw c.Bad($"a dataspace message has version {version}");
        if (rank > 32) throw c.Bad($"a dataspace has {rank} dimensions (HDF5 allows 32)");
        var dims = new ulong[rank];
        for (int i = 0; i < rank; i++) dims[i] = d.U64();
        if ((flags & 1) != 0) d.Skip(8 * rank);                  // maximum dimensions
        return new(dims, isNull);
    }

    /// <summary>The number of elements, checked so that <paramref name="elementSize"/> times it fits what the file holds
    /// (times <paramref name="expansion"/> for compressed data).</summary>
    public long Count(H5Context c, int elementSize, long expansion = 1)
    {
        if (Null) return 0;
        ulong n = 1;
        ulong bytesLimit = (ulong)checked(Math.Max(1, c.Length) * expansion) / (ulong)Math.Max(1, elementSize);
        foreach (var dim in Dims)
        {
            if (dim > int.MaxValue) throw c.Bad($"a dimension of {dim} is impossible");
            n = checked(n * dim);
            if (n > bytesLimit) throw c.Bad($"the shape ({string.Join(", ", Dims)}) of {elementSize}-byte elements claims more bytes than a {c.Length}-byte file can hold");
            if (n > (ulong)Array.MaxLength)
                throw c.Unsupported($"the shape ({string.Join(", ", Dims)}) has more elements than a .NET array holds ({Array.MaxLength})");
        }
        return (long)n;
    }

    /// <summary>The dimensions as ints (checked by <see cref="Count"/> first).</summary>
    public int[] Shape() => Dims.Select(d => (int)d).ToArray();
}
