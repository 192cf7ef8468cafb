using System.Buffers.Binary;
using System.Text;

namespace Dendrite.Data;

/// <summary>
/// Reads the data of a NumPy object array (dtype <c>|O</c>), which <c>np.save</c> writes as a pickle of the whole
/// array. Only the subset of pickle NumPy writes for arrays of ints, floats, strings, None and (nested) lists or tuples
/// of them is understood (protocols 2-5, Python 2 or 3): the globals <c>numpy.core.multiarray._reconstruct</c>,
/// <c>numpy.ndarray</c>, <c>numpy.dtype</c> and <c>_codecs.encode</c> and nothing else, so no code runs and anything
/// outside the subset is refused with <see cref="InvalidDataException"/>. Lists of ints become <c>long[]</c>, other
/// lists and tuples <c>object?[]</c>.
/// </summary>
internal static class NpyPickle
{
    private const int MaxMemo = 1 << 26, MaxDepth = 10_000, MaxNesting = 64;

    private sealed record Global(string Module, string Name);
    private sealed record Dtype(string Descr);
    private sealed class PyArray { public object?[]? Items; public int[]? Shape; }
    private sealed class Mark { public static readonly Mark Instance = new(); }

    // A list whose items are all ints is kept unboxed until something else is appended.
    private sealed class PyList
    {
        public List<long>? Ints = [];
        public List<object?>? Items;
        public void Add(object? v)
        {
            if (Ints is not null && v is long l) { Ints.Add(l); return; }
            if (Ints is not null) { Items = Ints.Select(i => (object?)i).ToList(); Ints = null; }
            Items!.Add(v);
        }
    }

    /// <summary>The elements of the pickled object array, row-major, checked against the header's shape.</summary>
    public static object?[] ReadObjectArray(Stream stream, int[] shape)
    {
        object? result = Run(new BufferedStream(stream, 1 << 16));
        if (result is not PyArray { Items: { } items, Shape: { } s })
            throw new InvalidDataException("The object array's pickle does not hold a NumPy array.");
        if (!s.SequenceEqual(shape))
            throw new InvalidDataException($"The object array's pickle has shape ({string.Join(", ", s)}), the .npy header ({string.Join(", ", shape)}).");
        if (items.LongLength != s.Aggregate(1L, (a, d) => a * d))
            throw new InvalidDataException($"The object array's pickle holds {items.Length} items for shape ({string.Join(", ", s)}).");
        return items;
    }

    private static object? Run(Stream s)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<int, object?>();
        for (;;)
        {
            int op = s.ReadByte();
            switch (op)
            {
                case -1: throw new InvalidDataException("The pickle ends before its STOP opcode (truncated).");
                case 0x80: Byte(s); break;                                               // PROTO
                case 0x95: Bytes(s, 8); break;                                           // FRAME (length hint)
                case '.':                                                                // STOP
                    if (stack.Count != 1 || stack[0] is Mark) throw Bad("STOP with a stack that does not hold one object");
                    return Finish(stack[0], 0);
                case '(': Push(stack, Mark.Instance); break;                             // MARK
                case 'N': Push(stack, null); break;
                case 0x88: Push(stack, true); break;
                case 0x89: Push(stack, false); break;
                case 'K': Push(stack, (long)Byte(s)); break;                             // BININT1
                case 'M': Push(stack, (long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(s, 2))); break;
                case 'J': Push(stack, (long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(s, 4))); break;
                case 0x8a: Push(stack, Long1(s)); break;                                 // LONG1
                case 'G': Push(stack, BinaryPrimitives.ReadDoubleBigEndian(Bytes(s, 8))); break; // BINFLOAT
                case 'X': Push(stack, Utf8(Bytes(s, Length4(s)))); break;                // BINUNICODE
                case 0x8c: Push(stack, Utf8(Bytes(s, Byte(s)))); break;                  // SHORT_BINUNICODE
                case 'C': Push(stack, Bytes(s, Byte(s))); break;                         // SHORT_BINBYTES
                case 'B': Push(stack, Bytes(s, Length4(s))); break;                      // BINBYTES
                case 'U': Push(stack, Encoding.Latin1.GetString(Bytes(s, Byte(s)))); break; // SHORT_BINSTRING (Python 2 str)
                case 'T': Push(stack, Encoding.Latin1.GetString(Bytes(s, Length4(s)))); break; // BINSTRING
                case ')': Push(stack, Array.Empty<object?>()); break;                    // EMPTY_TUPLE
                case 0x85: Push(stack, PopN(stack, 1)); break;                           // TUPLE1..3
                case 0x86: Push(stack, PopN(stack, 2)); break;
                case 0x87: Push(stack, PopN(stack, 3)); break;
                case 't': Push(stack, PopMark(stack)); break;                            // TUPLE
                case ']': Push(stack, new PyList()); break;                              // EMPTY_LIST
                case 'a': { var v = Pop(stack); ListOnTop(stack).Add(v); break; }        // APPEND
                case 'e': { var items = PopMark(stack); var l = ListOnTop(stack); foreach (var v in items) l.Add(v); break; }
                case 'c': Push(stack, MakeGlobal(Line(s), Line(s))); break;              // GLOBAL
                case 0x93: { var name = Pop(stack); var module = Pop(stack); Push(stack, MakeGlobal(module as string, name as string)); break; }
                case 'q': Memo(memo, Byte(s), stack); break;                             // BINPUT
                case 'r': Memo(memo, Length4(s), stack); break;                          // LONG_BINPUT
                case 0x94: Memo(memo, memo.Count, stack); break;                         // MEMOIZE
                case 'h': Push(stack, Get(memo, Byte(s))); break;                        // BINGET
                case 'j': Push(stack, Get(memo, Length4(s))); break;                     // LONG_BINGET
                case 'R': { var args = Pop(stack); var f = Pop(stack); Push(stack, Reduce(f, args)); break; }
                case 'b': { var state = Pop(stack); Build(Top(stack), state); break; }
                default:
                    throw new InvalidDataException($"The object array's pickle uses opcode 0x{op:x2} ('{(op is >= 32 and < 127 ? (char)op : '?')}'), " +
                        "which is outside the subset NumPy writes for arrays of lists and numbers; it is refused.");
            }
        }
    }

    // Lists can nest (or hold themselves) through the memo without growing the stack: the depth is bounded here.
    private static object? Finish(object? v, int depth) => depth > MaxNesting ? throw Bad($"lists nested deeper than {MaxNesting} (or a list holding itself)") : v switch
    {
        PyList l => l.Ints is not null ? l.Ints.ToArray() : l.Items!.Select(i => Finish(i, depth + 1)).ToArray(),
        object?[] t => t.Select(i => Finish(i, depth + 1)).ToArray(),
        PyArray a => new PyArray { Shape = a.Shape, Items = a.Items?.Select(i => Finish(i, depth + 1)).ToArray() },
        _ => v,
    };

    private static Global MakeGlobal(string? module, string? name)
    {
        var g = new Global(module ?? "", name ?? "");
        bool allowed = g is ("numpy.core.multiarray", "_reconstruct") or ("numpy._core.multiarray", "_reconstruct")
            or ("numpy", "ndarray") or ("numpy", "dtype") or ("_codecs", "encode");
        return allowed ? g : throw new InvalidDataException($"The object array's pickle refers to '{g.Module}.{g.Name}', which is not one of the NumPy array globals this reader accepts; it is refused.");
    }

    private static object Reduce(object? f, object? args)
    {
        if (f is not Global g || args is not object?[] a) throw Bad("REDUCE on something other than an allowed global and a tuple");
        switch (g.Name)
        {
            case "_reconstruct" when a is [Global { Name: "ndarray" }, ..]: return new PyArray();
            case "dtype" when a is [string descr, ..]: return new Dtype(descr);
            case "encode" when a is [string text, "latin1" or "latin-1"]: return Encoding.Latin1.GetBytes(text);
            default: throw Bad($"a call of {g.Module}.{g.Name} with unexpected arguments");
        }
    }

    private static void Build(object? target, object? state)
    {
        switch (target)
        {
            case Dtype: return;   // byte order, field names, alignment flags: nothing an object dtype needs
            case PyArray arr when state is object?[] { Length: 5 } t && t[1] is object?[] shape && t[2] is Dtype:
                if (t[2] is not Dtype { Descr: "O8" or "O4" or "O" }) throw Bad($"an array of dtype '{((Dtype)t[2]!).Descr}' inside an object pickle");
                if (t[3] is true) throw Bad("a Fortran-ordered object array");
                arr.Shape = shape.Select(d => d is long v && v is >= 0 and <= int.MaxValue ? (int)v : throw Bad("a malformed array shape")).ToArray();
                arr.Items = t[4] switch
                {
                    PyList l => l.Items?.ToArray() ?? l.Ints!.Select(i => (object?)i).ToArray(),
                    _ => throw Bad("array data that is not a list of objects"),
                };
                return;
            default: throw Bad("BUILD on an object other than a NumPy array or dtype");
        }
    }

    private static void Push(List<object?> stack, object? v)
    {
        if (stack.Count >= MaxDepth) throw Bad($"a stack deeper than {MaxDepth}");
        stack.Add(v);
    }

    private static object? Pop(List<object?> stack)
    {
        if (stack.Count == 0 || stack[^1] is Mark) throw Bad("a pop from an empty stack");
        var v = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return v;
    }

    private static object? Top(List<object?> stack) => stack.Count == 0 ? throw Bad("an empty stack") : stack[^1];

    private static PyList ListOnTop(List<object?> stack) => Top(stack) as PyList ?? throw Bad("APPEND to something other than a list");

    private static object?[] PopN(List<object?> stack, int n)
    {
        var items = new object?[n];
        for (int i = n - 1; i >= 0; i--) items[i] = Pop(stack);
        return items;
    }

    private static object?[] PopMark(List<object?> stack)
    {
        int m = stack.FindLastIndex(v => v is Mark);
        if (m < 0) throw Bad("a missing MARK");
        var items = stack.GetRange(m + 1, stack.Count - m - 1).ToArray();
        stack.RemoveRange(m, stack.Count - m);
        return items;
    }

    private static void Memo(Dictionary<int, object?> memo, int key, List<object?> stack)
    {
        if (key < 0 || memo.Count >= MaxMemo) throw Bad("a memo beyond its limits");
        memo[key] = Top(stack);
    }

    private static object? Get(Dictionary<int, object?> memo, int key) =>
        memo.TryGetValue(key, out var v) ? v : throw Bad($"a memo key {key} that was never stored");

    private static int Byte(Stream s) => s.ReadByte() is int b and >= 0 ? b : throw Truncated();

    private static int Length4(Stream s)
    {
        uint n = BinaryPrimitives.ReadUInt32LittleEndian(Bytes(s, 4));
        return n <= int.MaxValue ? (int)n : throw Bad($"a length of {n}");
    }

    private static long Long1(Stream s)
    {
        int n = Byte(s);
        if (n > 8) throw Bad($"an integer of {n} bytes");
        var b = Bytes(s, n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | b[i];
        if (n is > 0 and < 8 && (b[n - 1] & 0x80) != 0) v -= 1L << (8 * n);   // two's complement, little-endian
        return v;
    }

    private static byte[] Bytes(Stream s, int n)
    {
        try { return BoundedRead.Exactly(s, n, "the pickle"); }
        catch (EndOfStreamException) { throw Truncated(); }
    }

    private static string Line(Stream s)
    {
        var sb = new StringBuilder();
        for (int b; (b = Byte(s)) != '\n';)
        {
            if (sb.Length > 256) throw Bad("a GLOBAL name longer than 256 characters");
            sb.Append((char)b);
        }
        return sb.ToString();
    }

    private static string Utf8(byte[] b)
    {
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(b); }
        catch (DecoderFallbackException) { throw Bad("a string that is not valid UTF-8"); }
    }

    private static InvalidDataException Truncated() => new("The object array's pickle is truncated.");

    private static InvalidDataException Bad(string what) => new($"The object array's pickle is malformed or unsupported: {what}.");
}
