namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>The superblock (versions 0 to 3, 8-byte offsets and lengths, at address 0): where the root group's object header is.</summary>
internal static class Superblock
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The address of the root group's object header.</summary>
    public static ulong RootAddress(H5Context c)
    {
        if (c.Length < 48) throw c.Bad($"the file has {c.Length} bytes, too few for an HDF5 superblock (truncated)");
        var s = c.ReadUpTo(0, 100, "the superblock");
        if (!s.Span(8).SequenceEqual(Signature)) throw c.Bad("the file does not start with the HDF5 signature");
        int version = s.U8();
        int offsets, lengths;
        ulong root;
        switch (version)
        {
            case 0 or 1:
                s.Skip(3);                                       // free-space, root group symbol table and shared header versions
                s.Skip(1);
                offsets = s.U8();
                lengths = s.U8();
                CheckSizes(c, offsets, lengths);
                s.Skip(1 + 2 + 2 + 4 + (version == 1 ? 4 : 0)); // reserved, leaf and internal K, flags (v1: indexed storage K)
                CheckBaseAndEnd(c, s, extensionOrFreeSpace: true);
                s.Skip(8);                                       // driver information
                s.Skip(8);                                       // root link name offset
                root = s.U64();
                break;
            case 2 or 3:
                offsets = s.U8();
                lengths = s.U8();
                CheckSizes(c, offsets, lengths);
                s.Skip(1);                                       // flags
                CheckBaseAndEnd(c, s, extensionOrFreeSpace: true);
                root = s.U64();
                break;
            default:
                throw c.Unsupported($"HDF5 superblock version {version} (Dendrite reads versions 0 to 3)");
        }
        if (H5Context.Undefined(root)) throw c.Bad("the superblock has no root group");
        return root;
    }

    private static void CheckSizes(H5Context c, int offsets, int lengths)
    {
        if (offsets != 8 || lengths != 8)
            throw c.Unsupported($"HDF5 with {offsets}-byte offsets and {lengths}-byte lengths (Dendrite reads 8-byte ones, as h5py and Keras write)");
    }

    private static void CheckBaseAndEnd(H5Context c, H5Cursor s, bool extensionOrFreeSpace)
    {
        ulong b = s.U64();
        if (extensionOrFreeSpace) s.Skip(8);
        ulong end = s.U64();
        if (b != 0 && b < (ulong)c.Length && System.Numerics.BitOperations.IsPow2(b) && b >= 512)
            throw c.Unsupported($"an HDF5 base address of {b} (a user block); Dendrite reads files whose superblock is at 0");
        if (b != 0) throw c.Bad($"the superblock has the impossible base address {b}");
        if (!H5Context.Undefined(end) && end > (ulong)c.Length)
            throw c.Bad($"the file is truncated: its superblock says the file is {end} bytes long, but it has {c.Length}");
    }
}
