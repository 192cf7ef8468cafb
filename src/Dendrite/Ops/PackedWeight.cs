using Dendrite.Backends;

namespace Dendrite;

/// <summary>
/// A layer's cache of one weight matrix packed by the backend for repeated products at inference (<see cref="Ops.Dense"/>
/// under no-grad): packed once per <see cref="Tensor.Version"/> of the weight, so a write to it (an optimizer step,
/// SetWeights, loading, any <see cref="Tensor.AsSpan"/>) makes the next product repack instead of reading stale panels.
/// Every inference product of the layer reads the panels (none reads the weight in place), so that a row's result does
/// not depend on the call or the batch it came in (the packed and the in-place products round differently). Safe for
/// concurrent readers: an entry is immutable and replaced whole; a replaced entry's memory is freed by its finalizer
/// once no product holds it (a product on another thread may still be reading it).
/// </summary>
internal sealed class PackedWeight
{
    private sealed class Entry(Tensor weight, int version, PackedMatrix? packed)
    {
        public readonly Tensor Weight = weight;
        public readonly float[] Data = weight.Data;
        public readonly int Version = version;
        public readonly PackedMatrix? Packed = packed;

        public bool Holds(Tensor weight, int version) => Version == version && ReferenceEquals(Weight, weight) && ReferenceEquals(Data, weight.Data);
    }

    private volatile Entry? _entry;
    private readonly Lock _packing = new();

    /// <summary>How many times the weight was packed (tests).</summary>
    internal int Packs { get; private set; }

    /// <summary>The packed panels of <paramref name="weight"/>'s current values, or null (a backend without a packed
    /// layout, or a write during packing): then multiply by the weight itself.</summary>
    public PackedMatrix? Get(Tensor weight)
    {
        int version = weight.Version;
        var e = _entry;
        if (e is not null && e.Holds(weight, version)) return e.Packed;
        lock (_packing)
        {
            e = _entry;
            if (e is not null && e.Holds(weight, version)) return e.Packed;
            var packed = Ops.Direct.Pack(weight);
            // Written while it was being packed: use the weight itself this time (the next call packs again).
            if (weight.Version != version)
            {
                packed?.Dispose();
                return null;
            }
            _entry = new Entry(weight, version, packed);
            Packs++;
            return packed;
        }
    }
}
