using System.Buffers.Binary;
using Dendrite.Data;

namespace Dendrite.Tests.Data;

/// <summary>
/// Arrays over 2 GB of bytes (IDX from a sparse file, a .npy arriving on a stream of unknown length as an npz entry
/// does) read into one typed array without writing gigabytes: the data are zeros with a marker value at each end.
/// These tests need several GB of memory and skip on a machine with less than 16 GB available.
/// </summary>
public sealed class LargeFileTests : IDisposable
{
    private const int Count = 560_000_000;                                  // float32: 2.24 GB
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-large-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool EnoughMemory => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >= (16L << 30);

    [Fact]
    public void An_idx_file_over_2_GB_reads_into_one_float_array()
    {
        if (!EnoughMemory) return;
        string path = Path.Combine(_dir, "big.idx");
        using (var f = new FileStream(path, FileMode.CreateNew))
        {
            var head = new byte[8];
            head[2] = 0x0D;
            head[3] = 1;
            BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(4), Count);
            f.Write(head);
            f.SetLength(8 + 4L * Count);                                   // sparse: no gigabytes written
            f.Position = f.Length - 4;
            var last = new byte[4];
            BinaryPrimitives.WriteSingleBigEndian(last, 1.5f);
            f.Write(last);
        }
        Assert.True(new FileInfo(path).Length > (2L << 30));
        var a = Idx.Read(path);
        var data = Assert.IsType<float[]>(a.Data);
        Assert.Equal([Count], a.Shape);
        Assert.Equal(1.5f, data[^1]);
        Assert.Equal(0f, data[Count / 2]);
    }

    [Fact]
    public void A_npy_over_2_GB_on_a_stream_of_unknown_length_reads_into_one_float_array()
    {
        if (!EnoughMemory) return;
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({Count},), }}";
        string text = dict + new string(' ', (64 - (10 + dict.Length + 1) % 64) % 64) + "\n";     // NumPy's 64-byte alignment
        var prefix = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 };
        prefix.AddRange(BitConverter.GetBytes((ushort)text.Length));
        prefix.AddRange(System.Text.Encoding.Latin1.GetBytes(text));
        var tail = BitConverter.GetBytes(2.5f);
        using var s = new ZerosStream(prefix.ToArray(), 4L * Count - 4, tail);
        var a = Npy.Read(s);
        var data = Assert.IsType<float[]>(a.Data);
        Assert.Equal([Count], a.Shape);
        Assert.Equal(2.5f, data[^1]);
        Assert.Equal(0f, data[0]);
    }

    /// <summary>A read-only, non-seekable stream: a prefix, then <c>zeros</c> zero bytes, then a suffix.</summary>
    private sealed class ZerosStream(byte[] prefix, long zeros, byte[] suffix) : Stream
    {
        private long _pos;
        private long Total => prefix.Length + zeros + suffix.Length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            int n = (int)Math.Min(buffer.Length, Total - _pos);
            for (int i = 0; i < n; i++)
            {
                long p = _pos + i;
                if (p < prefix.Length) buffer[i] = prefix[p];
                else if (p >= prefix.Length + zeros) buffer[i] = suffix[p - prefix.Length - zeros];
                else { long run = Math.Min(n - i, prefix.Length + zeros - p); buffer.Slice(i, (int)run).Clear(); i += (int)run - 1; }
            }
            _pos += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
