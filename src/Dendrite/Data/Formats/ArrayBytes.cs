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

    /// <summary>Fills every element of <paramref name="array"/> from the stream, or throws "truncated" naming <paramref name="what"/>.</summary>
    public static void ReadInto(Stream s, Array array, int elementSize, bool bigEndian, string what)
    {
        long total = (long)array.Length * elementSize, done = 0;
        bool swap = elementSize > 1 && bigEndian == BitConverter.IsLittleEndian;
        while (done < total)
        {
            var chunk = Chunk(array, done, (int)Math.Min(ChunkBytes, total - done));
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
