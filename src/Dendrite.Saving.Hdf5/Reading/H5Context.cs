namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>
/// The state of one read: the stream (read by position, never copied whole), the file's name and length, the object path
/// being read (for messages), the object headers already visited (a second visit is a cycle), and the work budget.
/// Every address and length the file gives goes through <see cref="Read"/>, which checks it against the file's length
/// and charges the budget, so a damaged file can neither point outside itself nor make the reader loop or allocate more
/// than a small multiple of its size.
/// </summary>
internal sealed class H5Context
{
    /// <summary>Groups nested deeper than this are refused (Keras nests a handful).</summary>
    public const int MaxDepth = 64;

    private readonly Stream _stream;
    private long _bytesLeft;                 // bytes read plus bytes produced (converted)
    private long _expandLeft;                // bytes produced by decompression (and converted from it)
    private long _stepsLeft;                 // structures parsed (nodes, messages, links)
    private readonly HashSet<long> _headers = [];

    public H5Context(Stream stream, string fileName)
    {
        _stream = stream;
        FileName = fileName;
        Length = stream.Length;
        _bytesLeft = checked(Length * 16 + (16L << 20));
        _expandLeft = checked(Length * 1100 + (16L << 20));      // deflate expands at most ~1032 times, as the zip reader allows
        _stepsLeft = Length / 4 + 100_000;
    }

    /// <summary>The file's name, for messages.</summary>
    public string FileName { get; }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The path of the object being read, for messages.</summary>
    public string Path { get; set; } = "/";

    /// <summary>An <see cref="InvalidDataException"/> naming the file and the object.</summary>
    public InvalidDataException Bad(string message) => new($"{FileName}: HDF5 object '{Path}': {message}");

    /// <summary>A <see cref="NotSupportedException"/> naming the file and the object.</summary>
    public NotSupportedException Unsupported(string message) => new($"{FileName}: HDF5 object '{Path}': {message}");

    /// <summary>Charges one parsing step; a damaged file that makes the reader go round is stopped here.</summary>
    public void Step(long n = 1)
    {
        _stepsLeft -= n;
        if (_stepsLeft < 0) throw Bad($"the file's structures need more work to read than a {Length}-byte file can hold (a loop in damaged metadata?)");
    }

    /// <summary>True while a filtered (compressed) dataset is read: its output is charged to the decompression budget.</summary>
    public bool Expanding { get; set; }

    /// <summary>Charges <paramref name="bytes"/> that are about to be allocated or produced.</summary>
    public void Charge(long bytes, string what)
    {
        ref long left = ref Expanding ? ref _expandLeft : ref _bytesLeft;
        if (bytes < 0 || bytes > left)
            throw Bad($"{what} needs {bytes} bytes, more than a {Length}-byte file can hold");
        left -= bytes;
    }

    /// <summary>True when <paramref name="address"/> is HDF5's undefined address (all bits set).</summary>
    public static bool Undefined(ulong address) => address == ulong.MaxValue;

    /// <summary>Checks that [address, address + length) lies inside the file and returns the address.</summary>
    public long Check(ulong address, ulong length, string what)
    {
        if (address >= (ulong)Length || length > (ulong)Length - address)
            throw Bad($"{what} at address {address} ({length} bytes) lies outside the file ({Length} bytes; truncated or corrupt)");
        return (long)address;
    }

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="address"/>, both checked against the file first.</summary>
    public byte[] Read(ulong address, ulong length, string what)
    {
        long at = Check(address, length, what);
        Charge((long)length, what);
        Step();
        var buffer = new byte[length];
        _stream.Position = at;
        _stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Fills <paramref name="destination"/> from the bytes at <paramref name="address"/> (checked against the file
    /// first, read in pieces of at most 1 GiB, so arrays over 2 GB read without a byte copy); the caller charges the budget.</summary>
    public void ReadInto(ulong address, Span<byte> destination, string what)
    {
        long at = Check(address, (ulong)destination.Length, what);
        Step();
        _stream.Position = at;
        _stream.ReadExactly(destination);
    }

    /// <summary>Reads up to <paramref name="length"/> bytes at <paramref name="address"/>, fewer where the file ends.</summary>
    public H5Cursor ReadUpTo(ulong address, ulong length, string what)
    {
        Check(address, 1, what);
        ulong n = Math.Min(length, (ulong)Length - address);
        return new H5Cursor(this, Read(address, n, what), what);
    }

    /// <summary>Reads a block as a cursor.</summary>
    public H5Cursor Cursor(ulong address, ulong length, string what) => new(this, Read(address, length, what), what);

    /// <summary>Marks an object header as visited; a second visit (a cycle or a doubly linked object) is refused.</summary>
    public void Visit(ulong address)
    {
        if (!_headers.Add((long)address))
            throw Bad($"the object header at address {address} is reached twice (a cycle or a hard link to an object already read); Dendrite reads trees");
    }
}
