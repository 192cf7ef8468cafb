using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dendrite;

/// <summary>
/// table · kernel for a forward-only recurrent layer fed straight by an Embedding: a token's input projection is then
/// one row read instead of a (width x gates) product per token. Kept per kernel tensor and per weight version: each use
/// compares (bit for bit) snapshots of the table and the kernel and recomputes the product when either changed, on the
/// same packed product as the per-step projection (so the rows are the same numbers). Built only when one call's tokens
/// cost at least half the table's product.
/// </summary>
internal sealed class EmbeddingProjection
{
    private static readonly ConditionalWeakTable<Tensor, EmbeddingProjection> Cache = new();

    private Tensor? _table;
    private float[] _tableCopy = [], _kernelCopy = [];
    private Tensor? _product;

    /// <summary>Rows of table · kernel (vocabulary, gates), or null when not worth building for <paramref name="tokens"/> tokens.</summary>
    public static Tensor? Get(Tensor table, Tensor kernel, int tokens)
    {
        var p = Cache.GetValue(kernel, _ => new EmbeddingProjection());
        lock (p) return p.For(table, kernel, tokens);
    }

    private Tensor? For(Tensor table, Tensor kernel, int tokens)
    {
        if (_product is not null && ReferenceEquals(_table, table) && Same(_tableCopy, table) && Same(_kernelCopy, kernel)) return _product;
        if (2L * tokens < table.Shape[0]) return null;
        _table = table;
        _tableCopy = Snapshot(_tableCopy, table);
        _kernelCopy = Snapshot(_kernelCopy, kernel);
        var product = _product is not null && _product.Shape == new Shape([table.Shape[0], kernel.Shape[1]])
            ? _product : Tensor.Persistent([table.Shape[0], kernel.Shape[1]]);
        using (var packed = Ops.Direct.Pack(kernel))
        {
            if (packed is not null) Ops.Direct.MatMulPacked(table, 0, packed, product);
            else Ops.Direct.MatMul(table, false, kernel, false, product);
        }
        _product = product;
        return product;
    }

    private static bool Same(float[] copy, Tensor t) =>
        copy.Length == t.Size && MemoryMarshal.Cast<float, uint>(copy.AsSpan()).SequenceEqual(MemoryMarshal.Cast<float, uint>(t.AsSpan()));

    private static float[] Snapshot(float[] copy, Tensor t)
    {
        if (copy.Length != t.Size) copy = new float[t.Size];
        t.AsSpan().CopyTo(copy);
        return copy;
    }
}

/// <summary>The table and a copy of the ids of an embedding gather done without recording (<see cref="Tensor.SourceEmbedding"/>).</summary>
internal sealed record EmbeddingSource(Tensor Table, Tensor Ids);
