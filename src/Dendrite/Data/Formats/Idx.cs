using System.Buffers.Binary;
using System.IO.Compression;

namespace Dendrite.Data;

/// <summary>
/// Reads and writes the IDX format of the original MNIST files (big-endian header: 0, 0, type code, rank, then the
/// dimensions). Gzipped files (".gz") are read and written transparently.
/// </summary>
public static class Idx
{
    /// <summary>Reads an IDX file (gzipped when the name ends in ".gz" or the data starts with the gzip signature).</summary>
    public static NDArray Read(string path)
    {
        using var f = File.OpenRead(path);
        try { return Read(f); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
        catch (NotSupportedException e) { throw new NotSupportedException($"{path}: {e.Message}", e); }
    }

    /// <summary>
    /// Reads an IDX array from a stream (gzip detected from the first two bytes). The declared dimensions are checked
    /// (no overflow) and, for a plain file, against the bytes the stream holds before anything is allocated; a corrupt
    /// or truncated file throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static NDArray Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Stream rest = stream;
        Span<byte> sig = stackalloc byte[2];
        int n = stream.ReadAtLeast(sig, 2, throwOnEndOfStream: false);
        if (stream.CanSeek) stream.Seek(-n, SeekOrigin.Current);
        else rest = new ConcatStream(sig[..n].ToArray(), stream);
        bool gzip = n == 2 && sig[0] == 0x1f && sig[1] == 0x8b;
        using Stream? gz = gzip ? new DecompressionGuardStream(new GZipStream(rest, CompressionMode.Decompress, leaveOpen: true), "gzip") : null;
        Stream s = gz ?? rest;
        var magic = BoundedRead.Exactly(s, 4, "the magic number");
        if (magic[0] != 0 || magic[1] != 0) throw new InvalidDataException("Not an IDX file (the magic number must start with two zero bytes).");
        int size = magic[2] switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => throw new InvalidDataException($"Unknown IDX type code 0x{magic[2]:X2}.") };
        int rank = magic[3];
        var header = BoundedRead.Exactly(s, 4L * rank, "the dimensions");
        var dims = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 * i));
            if (dims[i] > int.MaxValue) throw new InvalidDataException($"IDX dimension {i} is {dims[i]}, over the largest supported ({int.MaxValue}).");
        }
        long count = BoundedRead.Product(dims, Array.MaxLength, "The IDX dimensions");
        // Big-endian values straight into the typed array (over 2 GB of bytes works; a gzip stream grows it as bytes arrive).
        Func<int, Array> allocate = magic[2] switch
        {
            0x08 => k => new byte[k], 0x09 => k => new sbyte[k], 0x0B => k => new short[k], 0x0C => k => new int[k],
            0x0D => k => new float[k], _ => k => new double[k],
        };
        var data = ArrayBytes.ReadArray(s, count, size, bigEndian: true, allocate, "the data");
        return new NDArray(data, dims.Select(d => (int)d).ToArray());
    }

    /// <summary>Writes an array as IDX (uint8, int8, int16, int32, float32 or float64), gzipped when the name ends in ".gz"; atomically.</summary>
    public static void Write(string path, NDArray array) => AtomicFile.Write(path, f =>
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var gz = new GZipStream(f, CompressionLevel.SmallestSize, leaveOpen: true);
            Write(gz, array);
        }
        else Write(f, array);
    });

    /// <summary>Writes an array as IDX to a stream.</summary>
    public static void Write(Stream s, NDArray array)
    {
        byte code = array.DType switch
        {
            "uint8" => 0x08, "int8" => 0x09, "int16" => 0x0B, "int32" => 0x0C, "float32" => 0x0D, "float64" => 0x0E,
            _ => throw new ArgumentException($"IDX cannot store dtype {array.DType}."),
        };
        s.Write([0, 0, code, checked((byte)array.Shape.Length)]);
        Span<byte> b8 = stackalloc byte[8];
        foreach (int d in array.Shape) { BinaryPrimitives.WriteUInt32BigEndian(b8, (uint)d); s.Write(b8[..4]); }
        switch (code)
        {
            case 0x08: s.Write((byte[])array.Data); break;
            case 0x09: s.Write(Array.ConvertAll((sbyte[])array.Data, v => unchecked((byte)v))); break;
            case 0x0B: foreach (var v in (short[])array.Data) { BinaryPrimitives.WriteInt16BigEndian(b8, v); s.Write(b8[..2]); } break;
            case 0x0C: foreach (var v in (int[])array.Data) { BinaryPrimitives.WriteInt32BigEndian(b8, v); s.Write(b8[..4]); } break;
            case 0x0D: foreach (var v in (float[])array.Data) { BinaryPrimitives.WriteSingleBigEndian(b8, v); s.Write(b8[..4]); } break;
            default: foreach (var v in (double[])array.Data) { BinaryPrimitives.WriteDoubleBigEndian(b8, v); s.Write(b8); } break;
        }
    }

    /// <summary>A stream that first yields some bytes already read, then the rest of another stream.</summary>
    private sealed class ConcatStream(byte[] head, Stream tail) : Stream
    {
        private int _pos;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_pos < head.Length)
            {
                int n = Math.Min(count, head.Length - _pos);
                Array.Copy(head, _pos, buffer, offset, n);
                _pos += n;
                return n;
            }
            return tail.Read(buffer, offset, count);
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
