using System.Buffers.Binary;
using System.Text;
using Dendrite.Data;
using Dendrite.Layers;

namespace Dendrite.Saving;

/// <summary>
/// Dendrite's weights file (".dnw"), until Keras-compatible model files exist. Little-endian:
/// magic "DNDW", uint32 version (1), uint32 count; per weight: uint16 name length, UTF-8 name, uint8 rank,
/// uint32 dims, float32 values; then a uint32 CRC-32 of everything before it. Written atomically; a truncated or
/// corrupt file, or one whose weights do not match the model, is refused with a clear error before any weight changes.
/// </summary>
public static class WeightsFile
{
    private static readonly byte[] Magic = "DNDW"u8.ToArray();

    /// <summary>Writes the layer's (or model's) weights, in <see cref="Layer.Weights"/> order.</summary>
    public static void Save(string path, Layer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, stream => Write(stream, model));
    }

    private static void Write(Stream stream, Layer model)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(1u);
            var weights = model.Weights;
            w.Write((uint)weights.Count);
            foreach (var t in weights)
            {
                var name = Encoding.UTF8.GetBytes(t.Name ?? "");
                w.Write((ushort)name.Length);
                w.Write(name);
                w.Write((byte)t.Rank);
                foreach (int d in t.Shape) w.Write((uint)d);
                foreach (float v in t.AsSpan()) w.Write(v);
            }
        }
        var body = ms.ToArray();
        stream.Write(body);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.HashToUInt32(body));
        stream.Write(crc);
    }

    /// <summary>
    /// Reads a weights file into the model, checking integrity, count and every shape first. A file that is not a
    /// weights file, is corrupt or truncated, or does not match the model throws <see cref="InvalidDataException"/>
    /// naming the file and what is wrong; the model is then unchanged.
    /// </summary>
    public static void Load(string path, Layer model)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        var info = new FileInfo(path);
        long length = info.Exists ? info.Length : throw new FileNotFoundException($"No weights file at {path}.", path);
        if (length > Array.MaxLength) throw new NotSupportedException($"{path} holds {length} bytes; weights files over 2 GB are not supported.");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 16 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
            throw new InvalidDataException($"{path} is not a Dendrite weights file.");
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        if (Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)) != stored)
            throw new InvalidDataException($"{path} is corrupt or truncated (checksum mismatch); the model was not changed.");
        var r = new WeightsReader(bytes.AsMemory(4, bytes.Length - 8), path);
        uint version = r.UInt32("the version");
        if (version != 1) throw new InvalidDataException($"{path} has weights format version {version}; this library reads version 1.");
        uint count = r.UInt32("the weight count");
        var targets = model.Weights;
        if (count != targets.Count)
            throw new InvalidDataException($"{path} holds {count} weights but model '{model.Name}' has {targets.Count}.");
        var values = new List<Tensor>(targets.Count);
        for (int i = 0; i < targets.Count; i++)
        {
            string name = r.Name($"the name of weight {i}");
            int rank = r.Byte($"the rank of weight {i} ({name})");
            var dims = new long[rank];
            for (int d = 0; d < rank; d++) dims[d] = r.UInt32($"dimension {d} of weight {i} ({name})");
            var expected = targets[i].Shape;
            if (rank != expected.Rank || Enumerable.Range(0, rank).Any(d => dims[d] != expected[d]))
                throw new InvalidDataException($"{path}: weight {i} ({name}) has shape ({string.Join(", ", dims)}) but the model's {targets[i].Name} has shape {expected}.");
            values.Add(Tensor.FromArray(r.Floats(expected.Size, $"the values of weight {i} ({name})"), expected.ToArray()));
        }
        if (r.Left > 0) throw new InvalidDataException($"{path} is corrupt: {r.Left} unexpected bytes after the last weight; the model was not changed.");
        model.SetWeights(values);
    }
}
