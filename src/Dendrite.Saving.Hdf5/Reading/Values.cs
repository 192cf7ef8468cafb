using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>Converts raw element bytes to .NET values: floats (from float16/32/64), longs (from any fixed-point size),
/// doubles and strings (fixed-length, or variable-length through the global heap).</summary>
internal static class Values
{
    public static float[] Floats(H5Context c, Datatype t, byte[] raw, long count)
    {
        c.Charge(count * 4, "the converted values");
        if (t.Size == 4 && !t.BigEndian && BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, float>(raw.AsSpan(0, checked((int)count * 4))).ToArray();
        var v = new float[count];
        for (long i = 0; i < count; i++)
        {
            var e = Element(raw, t, i);
            v[i] = t.Size switch
            {
                2 => (float)(t.BigEndian ? BinaryPrimitives.ReadHalfBigEndian(e) : BinaryPrimitives.ReadHalfLittleEndian(e)),
                4 => t.BigEndian ? BinaryPrimitives.ReadSingleBigEndian(e) : BinaryPrimitives.ReadSingleLittleEndian(e),
                _ => (float)(t.BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(e) : BinaryPrimitives.ReadDoubleLittleEndian(e)),
            };
        }
        return v;
    }

    /// <summary>A contiguous little-endian float32 or int64 dataset read straight into its .NET array, a piece at a time (no
    /// byte copy, so the peak is the array itself, and arrays over 2 GB read); null when the dataset is not such a one.</summary>
    public static object? Direct(H5Context c, Datatype t, DataLayout layout, long count)
    {
        bool float32 = t.Class == (int)TypeClass.Float && t.Size == 4, int64 = t.Class == (int)TypeClass.FixedPoint && t.Size == 8;
        if (!(float32 || int64) || t.BigEndian || !BitConverter.IsLittleEndian || layout.Class != DataLayout.ContiguousClass
            || H5Context.Undefined(layout.Address) || count == 0) return null;
        long total = checked(count * t.Size);
        if (layout.Size < (ulong)total) throw c.Bad($"contiguous data holds {layout.Size} bytes, not the {total} the shape needs");
        c.Check(layout.Address, (ulong)total, "the dataset's data");
        c.Charge(total, "the dataset");
        return float32 ? Fill(c, layout.Address, new float[count]) : Fill(c, layout.Address, new long[count]);
    }

    private static T[] Fill<T>(H5Context c, ulong address, T[] values) where T : unmanaged
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), piece = (1 << 30) / size;
        for (long i = 0; i < values.Length; i += piece)
        {
            int n = (int)Math.Min(piece, values.Length - i);
            c.ReadInto(checked(address + (ulong)(i * size)), MemoryMarshal.AsBytes(values.AsSpan((int)i, n)), "the dataset's data");
        }
        return values;
    }

    public static double[] Doubles(H5Context c, Datatype t, byte[] raw, long count)
    {
        c.Charge(count * 8, "the converted values");
        var v = new double[count];
        for (long i = 0; i < count; i++)
        {
            var e = Element(raw, t, i);
            v[i] = t.BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(e) : BinaryPrimitives.ReadDoubleLittleEndian(e);
        }
        return v;
    }

    public static long[] Longs(H5Context c, Datatype t, byte[] raw, long count)
    {
        c.Charge(count * 8, "the converted values");
        if (t.Size == 8 && !t.BigEndian && BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, long>(raw.AsSpan(0, checked((int)count * 8))).ToArray();
        var v = new long[count];
        for (long i = 0; i < count; i++)
        {
            var e = Element(raw, t, i);
            ulong u = 0;
            for (int b = 0; b < t.Size; b++) u |= (ulong)e[t.BigEndian ? t.Size - 1 - b : b] << (8 * b);
            if (t.Signed && t.Size < 8 && (u >> (8 * t.Size - 1) & 1) != 0) u |= ulong.MaxValue << (8 * t.Size);   // sign-extend
            v[i] = unchecked((long)u);
        }
        return v;
    }

    public static string[] Strings(H5Context c, Datatype t, byte[] raw, long count, GlobalHeap heap)
    {
        var v = new string[count];
        for (long i = 0; i < count; i++)
        {
            c.Step();
            var e = Element(raw, t, i);
            if (t.Class == (int)TypeClass.String) v[i] = Fixed(e, t.Padding);
            else
            {
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(e);
                ulong address = BinaryPrimitives.ReadUInt64LittleEndian(e[4..]);
                int index = (int)BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
                if (length == 0) { v[i] = ""; continue; }
                if (length > int.MaxValue) throw c.Bad($"a variable-length string claims {length} bytes");
                v[i] = Encoding.UTF8.GetString(heap.Object(address, index, (int)length)).TrimEnd('\0');
            }
        }
        return v;
    }

    private static string Fixed(ReadOnlySpan<byte> e, int padding)
    {
        int end = e.IndexOf((byte)0);
        if (end >= 0) e = e[..end];
        string s = Encoding.UTF8.GetString(e);
        return padding == 2 ? s.TrimEnd(' ') : s;
    }

    private static ReadOnlySpan<byte> Element(byte[] raw, Datatype t, long i) => raw.AsSpan(checked((int)(i * t.Size)), t.Size);
}
