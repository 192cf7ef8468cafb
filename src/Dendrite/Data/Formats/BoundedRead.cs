namespace Dendrite.Data;

/// <summary>
/// Reads of sizes that a file declares, done so that a lying header cannot make the reader misbehave: sizes are checked
/// with 64-bit arithmetic, against what a seekable stream still holds before anything is allocated, and on a stream of
/// unknown length (gzip, zip entries) the buffer grows only as bytes actually arrive. Every failure is an
/// <see cref="InvalidDataException"/> (or a <see cref="NotSupportedException"/> for arrays over 2 GB).
/// </summary>
internal static class BoundedRead
{
    private const int FirstChunk = 64 * 1024;

    /// <summary>Reads exactly <paramref name="count"/> bytes, or throws "truncated" naming <paramref name="what"/>.</summary>
    public static byte[] Exactly(Stream s, long count, string what)
    {
        if (count < 0) throw new InvalidDataException($"{what} has a negative size ({count}).");
        if (count > Array.MaxLength)
            throw new NotSupportedException($"{what} needs {count} bytes; arrays over {Array.MaxLength} bytes (2 GB) are not supported.");
        if (s.CanSeek)
        {
            long left = Math.Max(0, s.Length - s.Position);
            if (count > left) throw Truncated(what, count, left);
            var all = new byte[count];
            Fill(s, all, 0, what, count);
            return all;
        }
        // Unknown length: grow as the bytes arrive (at most twice what the stream really holds, plus 64 KB).
        var buf = new byte[Math.Min(count, FirstChunk)];
        int read = 0;
        while (true)
        {
            read = Fill(s, buf, read, what, count);
            if (read == count) return buf;
            Array.Resize(ref buf, (int)Math.Min(count, 2L * buf.Length));
        }
    }

    /// <summary>The product of the dimensions, or an error when it exceeds <paramref name="max"/> (no overflow, no wrap to 0).</summary>
    public static long Product(IReadOnlyList<long> dims, long max, string what)
    {
        long n = 1;
        foreach (long d in dims)
        {
            if (d < 0) throw new InvalidDataException($"{what}: negative dimension {d}.");
            if (d != 0 && n > max / d) throw new InvalidDataException($"{what}: the dimensions ({string.Join(", ", dims)}) hold more than {max} values.");
            n *= d;
        }
        return n;
    }

    /// <summary>Bytes left in a seekable stream, or null when its length is unknown.</summary>
    public static long? Remaining(Stream s) => s.CanSeek ? Math.Max(0, s.Length - s.Position) : null;

    /// <summary>The error for a field the file ends in the middle of.</summary>
    public static InvalidDataException Truncated(string what, long count, long left) =>
        new($"The file is truncated: {what} needs {count} bytes, only {left} are left.");

    /// <summary>Fills buf[from..]; returns buf.Length, or throws "truncated" (of <paramref name="total"/> bytes) at the end of the stream.</summary>
    private static int Fill(Stream s, byte[] buf, int from, string what, long total)
    {
        int read = from;
        while (read < buf.Length)
        {
            int r = s.Read(buf, read, buf.Length - read);
            if (r == 0) throw Truncated(what, total, read);
            read += r;
        }
        return read;
    }
}
