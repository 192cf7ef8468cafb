using System.Numerics;

namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>
/// A fractal heap ("FRHP"), where dense groups keep their link messages and dense attribute storage its attribute
/// messages. Dendrite follows managed-object IDs through the doubling table (root direct block, or indirect blocks
/// "FHIB" down to direct blocks "FHDB") and reads tiny objects from the ID itself; huge objects and filtered heaps are refused.
/// </summary>
internal sealed class FractalHeap
{
    private readonly H5Context _c;
    private readonly int _idLength, _width, _maxHeapBits, _offsetBytes, _lengthBytes, _maxDirectRows;
    private readonly ulong _startBlock, _maxDirect, _root;
    private readonly int _rootRows;
    private readonly bool _checksummedDirect;

    public FractalHeap(H5Context c, ulong address)
    {
        _c = c;
        var h = c.ReadUpTo(address, 4 + 1 + 2 + 2 + 1 + 4 + 12 * 8 + 2 + 8 + 8 + 2 + 2 + 8 + 2 + 4, "a fractal heap header");
        h.Signature("FRHP");
        if (h.U8() != 0) throw c.Bad("a fractal heap has an unknown version");
        _idLength = h.U16();
        int filterLength = h.U16();
        int flags = h.U8();
        _checksummedDirect = (flags & 2) != 0;
        uint maxManaged = h.U32();
        h.Skip(12 * 8);                                              // huge objects, free space, managed sizes, object counts
        _width = h.U16();
        _startBlock = h.U64();
        _maxDirect = h.U64();
        _maxHeapBits = h.U16();
        h.Skip(2);                                                   // starting rows in the root indirect block
        _root = h.U64();
        _rootRows = h.U16();
        if (filterLength != 0) throw c.Unsupported("a filtered fractal heap");
        if (_width is 0 or > 1024 || !BitOperations.IsPow2(_width) || _startBlock == 0 || !BitOperations.IsPow2(_startBlock)
            || _maxDirect < _startBlock || !BitOperations.IsPow2(_maxDirect) || _maxDirect > (1UL << 40) || _maxHeapBits is 0 or > 64 || _rootRows > 64)
            throw c.Bad($"a fractal heap has an impossible doubling table (width {_width}, blocks {_startBlock}..{_maxDirect}, {_maxHeapBits} bits)");
        _offsetBytes = (_maxHeapBits + 7) / 8;
        int directBits = BitOperations.Log2(_maxDirect);
        _lengthBytes = Math.Min((directBits + 7) / 8, BitOperations.Log2(Math.Max(1u, maxManaged)) / 8 + 1);
        _maxDirectRows = directBits - BitOperations.Log2(_startBlock) + 2;
    }

    /// <summary>The object a heap ID names.</summary>
    public byte[] Object(ReadOnlySpan<byte> id)
    {
        if (id.Length < 1 || id.Length > _idLength && _idLength > 0) throw _c.Bad("a fractal heap ID has the wrong length");
        int kind = (id[0] >> 4) & 3;
        if ((id[0] >> 6) != 0) throw _c.Bad($"a fractal heap ID has version {id[0] >> 6}");
        if (kind == 2)                                               // tiny: the object is in the ID
        {
            int n = (id[0] & 0x0F) + 1;
            if (n > id.Length - 1) throw _c.Bad("a tiny fractal heap object is longer than its ID");
            return id.Slice(1, n).ToArray();
        }
        if (kind != 0) throw _c.Unsupported("a huge fractal heap object");
        var cur = new H5Cursor(_c, id[1..].ToArray(), "a fractal heap ID");
        ulong offset = cur.Var(_offsetBytes), length = cur.Var(_lengthBytes);
        if (length == 0 || length > _maxDirect) throw _c.Bad($"a fractal heap object claims {length} bytes");
        return Find(_root, _rootRows, offset, length, depth: 0);
    }

    private ulong RowBlockSize(int row) => row == 0 ? _startBlock : checked(_startBlock << (row - 1));

    private byte[] Find(ulong block, int rows, ulong offset, ulong length, int depth)
    {
        _c.Step();
        if (depth > 16) throw _c.Bad("a fractal heap's indirect blocks nest too deep");
        if (H5Context.Undefined(block)) throw _c.Bad("a fractal heap object lies in a block that was never written");
        if (rows == 0) return Direct(block, offset, _startBlock, length);
        CheckIndirect(block);
        // Find the row and column that hold the offset.
        ulong rowStart = 0;
        for (int row = 0; row < rows; row++)
        {
            ulong size = RowBlockSize(row), span = checked(size * (ulong)_width);
            if (offset < rowStart + span)
            {
                int column = (int)((offset - rowStart) / size);
                ulong within = offset - rowStart - (ulong)column * size;
                int directEntries = Math.Min(rows, _maxDirectRows) * _width;
                int entry = row * _width + column;
                ulong entryAt = checked(block + (ulong)(4 + 1 + 8 + _offsetBytes) + (ulong)entry * 8);
                ulong child = _c.Cursor(entryAt, 8, "a fractal heap indirect block").U64();
                if (entry < directEntries) return Direct(child, within, size, length);
                int childRows = BitOperations.Log2(size) - BitOperations.Log2(checked(_startBlock * (ulong)_width)) + 1;
                return Find(child, childRows, within, length, depth + 1);
            }
            rowStart += span;
        }
        throw _c.Bad($"a fractal heap object at offset {offset} lies past the heap's blocks");
    }

    private void CheckIndirect(ulong block)
    {
        var h = _c.Cursor(block, 5, "a fractal heap indirect block");
        h.Signature("FHIB");
    }

    private byte[] Direct(ulong block, ulong within, ulong blockSize, ulong length)
    {
        var h = _c.Cursor(block, 5, "a fractal heap direct block");
        h.Signature("FHDB");
        ulong header = (ulong)(5 + 8 + _offsetBytes + (_checksummedDirect ? 4 : 0));
        if (within < header || within > blockSize || length > blockSize - within)
            throw _c.Bad($"a fractal heap object ({length} bytes at {within}) does not fit its {blockSize}-byte direct block");
        return _c.Read(block + within, length, "a fractal heap object");
    }
}
