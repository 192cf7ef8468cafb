using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dendrite.Data;

/// <summary>
/// Streams the bytes of a primitive array (byte[], float[], long[], ...) in chunks, straight from or into the array:
/// no second copy of the data, and arrays over 2 GB of bytes (up to <see cref="Array.MaxLength"/> elements) work.
/// Values are stored little-endian; big-endian data (or a big-endian machine) is byte-swapped per chunk.
/// </summary>
internal static class ArrayBytes
{
    private const int ChunkBytes = 4 << 20;
    private const int FirstChunkBytes = 64 << 10;

    /// <summary>Fills every element of <paramref name="array"/> from the stream, or throws "truncated" naming <paramref name="what"/>.</summary>
    public static void ReadInto(Stream s, Array array, int elementSize, bool bigEndian, string what) =>
        ReadRange(s, array, 0, elementSize, bigEndian, what, (long)array.Length * elementSize);

    /// <summary>
    /// Reads <paramref name="count"/> elements into a new array from <paramref name="allocate"/>. When the bytes the stream
    /// still holds are known (a file, a stored zip entry: <paramref name="knownLeft"/> or a seekable stream) they are checked
    /// first and the array is allocated once; on a stream of unknown length (gzip, deflate) the array starts at 64 KB and
    /// doubles only as the bytes arrive, so a lying header cannot force a large allocation. Over 2 GB of bytes works either
    /// way (up to <see cref="Array.MaxLength"/> elements).
    /// </summary>
    public static Array ReadArray(Stream s, long count, int elementSize, bool bigEndian, Func<int, Array> allocate, string what, long? knownLeft = null)
    {
        if (count > Array.MaxLength) throw new NotSupportedException($"{what} has {count} values; arrays over {Array.MaxLength} values are not supported.");
        long total = count * elementSize;
        if ((knownLeft ?? BoundedRead.Remaining(s)) is long left)
        {
            if (total > left) throw BoundedRead.Truncated(what, total, left);
            var direct = allocate((int)count);
            ReadInto(s, direct, elementSize, bigEndian, what);
            return direct;
        }
        var a = allocate((int)Math.Min(count, FirstChunkBytes / elementSize));
        long have = 0;
        while (true)
        {
            ReadRange(s, a, have, elementSize, bigEndian, what, total);
            have = a.Length;
            if (have == count) return a;
            var grown = allocate((int)Math.Min(count, 2 * have));
            Array.Copy(a, grown, have);
            a = grown;
        }
    }

    /// <summary>Fills elements [<paramref name="from"/>, end) of <paramref name="array"/>; "truncated" errors say <paramref name="total"/> bytes.</summary>
    private static void ReadRange(Stream s, Array array, long from, int elementSize, bool bigEndian, string what, long total)
    {
        long end = (long)array.Length * elementSize, done = from * elementSize;
        bool swap = elementSize > 1 && bigEndian == BitConverter.IsLittleEndian;
        while (done < end)
        {
            var chunk = Chunk(array, done, (int)Math.Min(ChunkBytes, end - done));
            int read = s.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (read < chunk.Length) throw BoundedRead.Truncated(what, total, done + read);
            if (swap) Swap(chunk, elementSize);
            done += chunk.Length;
        }
    }

    /// <summary>Writes every element of <paramref name="array"/> little-endian.</summary>
    public static void WriteFrom(Stream s, Array array, int elementSize)
    {
        long total = (long)array.Length * elementSize, done = 0;
        bool swap = elementSize > 1 && !BitConverter.IsLittleEndian;
        byte[]? copy = swap ? new byte[Math.Min(ChunkBytes, total)] : null;
        while (done < total)
        {
            Span<byte> chunk = Chunk(array, done, (int)Math.Min(ChunkBytes, total - done));
            if (copy is not null)
            {
                chunk.CopyTo(copy);
                chunk = copy.AsSpan(0, chunk.Length);
                Swap(chunk, elementSize);
            }
            s.Write(chunk);
            done += chunk.Length;
        }
    }

    private static Span<byte> Chunk(Array array, long offset, int length) =>
        MemoryMarshal.CreateSpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)offset), length);

    private static void Swap(Span<byte> bytes, int size)
    {
        for (int i = 0; i + size <= bytes.Length; i += size) bytes.Slice(i, size).Reverse();
    }
}
