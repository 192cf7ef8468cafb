using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Dendrite.Data;

/// <summary>
/// Reads and writes NumPy's <c>.npy</c> format (versions 1.0-3.0, C order, little- or big-endian numeric dtypes):
/// the format Keras's datasets and Python users ship arrays in.
/// </summary>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>
    /// The longest header this reader accepts (NumPy's own <c>np.load</c> refuses headers over 10,000 bytes by default).
    /// </summary>
    public const int MaxHeaderLength = 1 << 20;

    /// <summary>Reads one array from a file (object arrays only with <paramref name="allowPickle"/>, as NumPy's <c>np.load</c>).</summary>
    public static NDArray Read(string path, bool allowPickle = false)
    {
        using var s = File.OpenRead(path);
        try { return Read(s, allowPickle); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
        catch (NotSupportedException e) { throw new NotSupportedException($"{path}: {e.Message}", e); }
    }

    /// <summary>
    /// Reads one array from a stream. Sizes the header declares are checked against what the stream holds before
    /// anything is allocated; a corrupt or truncated array throws <see cref="InvalidDataException"/>. Object arrays
    /// (dtype <c>|O</c>, pickled, such as Keras's <c>imdb.npz</c> sequences) are read only with
    /// <paramref name="allowPickle"/>, by a reader of the pickle subset NumPy writes that runs no code (dtype "object":
    /// lists of ints become <c>long[]</c>, other lists <c>object?[]</c>).
    /// </summary>
    public static NDArray Read(Stream stream, bool allowPickle = false) => Read(stream, allowPickle, null);

    /// <summary>Reads one array; <paramref name="knownLength"/> is what the stream holds when it cannot seek but its length is
    /// known (a stored zip entry), else null.</summary>
    internal static NDArray Read(Stream stream, bool allowPickle, long? knownLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var head = BoundedRead.Exactly(stream, 8, "the header");
        if (!head.AsSpan(0, 6).SequenceEqual(Magic)) throw new InvalidDataException("Not a .npy file (bad magic bytes).");
        int major = head[6];
        long headerLen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(BoundedRead.Exactly(stream, 2, "the header length"))
            : major is 2 or 3 ? BinaryPrimitives.ReadUInt32LittleEndian(BoundedRead.Exactly(stream, 4, "the header length"))
            : throw new InvalidDataException($"Unsupported .npy version {major}.{head[7]}.");
        if (headerLen > MaxHeaderLength)
            throw new InvalidDataException($"The .npy header declares {headerLen} bytes; headers over {MaxHeaderLength} bytes are refused.");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(BoundedRead.Exactly(stream, headerLen, "the header"));
        string descr = Field(header, "descr").Trim('\'', '"');
        if (Field(header, "fortran_order").Trim() != "False") throw new NotSupportedException("Fortran-ordered .npy arrays are not supported (save with np.ascontiguousarray).");
        var (code, bigEndian) = ParseDescr(descr);
        if (code == "O")
        {
            if (!allowPickle) throw new NotSupportedException("The .npy array holds Python objects (dtype '|O', pickled); read it with allowPickle: true.");
            var objShape = ParseShape(Field(header, "shape"));
            BoundedRead.Product(objShape.Select(d => (long)d).ToArray(), Array.MaxLength, "The .npy shape");
            return new NDArray(NpyPickle.ReadObjectArray(stream, objShape), objShape);
        }
        int size = ElementSize(code, descr);
        var shape = ParseShape(Field(header, "shape"));
        long count = BoundedRead.Product(shape.Select(d => (long)d).ToArray(), Array.MaxLength, "The .npy shape");
        long? left = knownLength is long k ? Math.Max(0, k - (major == 1 ? 10 : 12) - headerLen) : null;
        // Straight into the typed array: checked against the bytes there first when their number is known, else grown as they arrive.
        return new NDArray(ArrayBytes.ReadArray(stream, count, size, bigEndian, n => Allocate(code, n), "the data", left), shape);
    }

    /// <summary>Writes one array to a file, atomically (temporary file, then rename).</summary>
    public static void Write(string path, NDArray array) => AtomicFile.Write(path, s => Write(s, array));

    /// <summary>Writes a float32 tensor to a file.</summary>
    public static void Write(string path, Tensor tensor) => Write(path, NDArray.FromTensor(tensor));

    /// <summary>Writes one array to a stream (version 1.0, little-endian), straight from the array (no copy; over 2 GB works).</summary>
    public static void Write(Stream stream, NDArray array)
    {
        string descr = array.DType switch
        {
            "uint8" => "|u1", "int8" => "|i1", "bool" => "|b1", "int16" => "<i2", "uint16" => "<u2", "int32" => "<i4", "uint32" => "<u4",
            "int64" => "<i8", "uint64" => "<u8", "float32" => "<f4", "float64" => "<f8",
            _ => throw new ArgumentException($"Cannot write dtype {array.DType}."),
        };
        string shape = array.Shape.Length == 1 ? $"({array.Shape[0]},)" : $"({string.Join(", ", array.Shape)})";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
        stream.Write(len);
        stream.Write(Encoding.Latin1.GetBytes(header));
        ArrayBytes.WriteFrom(stream, array.Data, ElementSize(descr[1..], descr));
    }

    private static (string Code, bool BigEndian) ParseDescr(string descr)
    {
        if (descr.Length == 0) throw new InvalidDataException("The .npy header has an empty dtype ('descr').");
        char order = descr[0];
        bool big = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        return (order is '<' or '>' or '|' or '=' ? descr[1..] : descr, big);
    }

    private static int ElementSize(string code, string descr) => code switch
    {
        "u1" or "i1" or "b1" => 1, "i2" or "u2" => 2, "i4" or "u4" or "f4" => 4, "i8" or "u8" or "f8" => 8,
        _ => throw new InvalidDataException($"Unsupported .npy dtype '{descr}'."),
    };

    private static Array Allocate(string code, int n) => code switch
    {
        "u1" => new byte[n], "i1" => new sbyte[n], "b1" => new bool[n], "i2" => new short[n], "u2" => new ushort[n],
        "i4" => new int[n], "u4" => new uint[n], "i8" => new long[n], "u8" => new ulong[n], "f4" => new float[n], _ => new double[n],
    };

    private static string Field(string header, string key)
    {
        int k = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (k < 0) k = header.IndexOf($"\"{key}\"", StringComparison.Ordinal);
        if (k < 0) throw new InvalidDataException($"The .npy header has no '{key}': {Shorten(header)}");
        int colon = header.IndexOf(':', k) + 1;
        int end = key == "shape" ? header.IndexOf(')', colon) + 1 : header.IndexOfAny([',', '}'], colon);
        if (colon <= 0 || end <= colon) throw new InvalidDataException($"Malformed .npy header: {Shorten(header)}");
        return header[colon..end].Trim();
    }

    private static int[] ParseShape(string s)
    {
        var inner = s.Trim().TrimStart('(').TrimEnd(')');
        return inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p.TrimEnd('L'), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v
                : throw new InvalidDataException($"Malformed .npy shape '{Shorten(s)}'.")).ToArray();
    }

    private static string Shorten(string header)
    {
        string t = header.Trim();
        return t.Length <= 200 ? t : t[..200] + "...";
    }
}
