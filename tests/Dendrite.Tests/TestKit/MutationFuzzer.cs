using System.Diagnostics;
using System.Text;

namespace Dendrite.Tests.TestKit;

/// <summary>
/// A seeded mutation fuzzer for file readers: starts from valid files, applies 1-4 random mutations (bit flips,
/// interesting integers at random offsets, truncation, extension, chunk deletion and duplication, format tokens),
/// optionally post-processes the bytes (re-zip, re-gzip, fix a checksum), writes them to a file and runs the reader on
/// it. Each case records what the reader threw, how much it allocated on the calling thread and how long it took.
/// </summary>
internal sealed class MutationFuzzer(int seed, IReadOnlyList<byte[]> seeds, IReadOnlyList<byte[]>? tokens = null)
{
    private static readonly uint[] InterestingInts =
        [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x40000000, 3073, 784, 60000];

    private readonly System.Random _rng = new(seed);

    /// <summary>One fuzz case's outcome.</summary>
    public readonly record struct Outcome(byte[] Input, Exception? Error, long AllocatedBytes, TimeSpan Elapsed);

    /// <summary>The next mutated input.</summary>
    public byte[] Next()
    {
        var data = new List<byte>(seeds[_rng.Next(seeds.Count)]);
        int mutations = 1 + _rng.Next(4);
        for (int m = 0; m < mutations; m++) Mutate(data);
        return data.ToArray();
    }

    /// <summary>Runs <paramref name="read"/> on <paramref name="input"/> written to <paramref name="path"/>.</summary>
    public static Outcome Run(byte[] input, string path, Action<string> read)
    {
        File.WriteAllBytes(path, input);
        Exception? error = null;
        var watch = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        try { read(path); }
        catch (Exception e) { error = e; }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new Outcome(input, error, allocated, watch.Elapsed);
    }

    private void Mutate(List<byte> d)
    {
        int kind = _rng.Next(tokens is { Count: > 0 } ? 9 : 8);
        if (d.Count == 0 && kind < 7) kind = 7;
        switch (kind)
        {
            case 0: { int i = _rng.Next(d.Count); d[i] ^= (byte)(1 << _rng.Next(8)); break; }
            case 1: { d[_rng.Next(d.Count)] = (byte)_rng.Next(256); break; }
            case 2: // an interesting 32-bit integer, either endianness, at a random offset
            {
                uint v = InterestingInts[_rng.Next(InterestingInts.Length)];
                var b = BitConverter.GetBytes(v);
                if (_rng.Next(2) == 0) Array.Reverse(b);
                int at = _rng.Next(d.Count);
                for (int k = 0; k < 4 && at + k < d.Count; k++) d[at + k] = b[k];
                break;
            }
            case 3: { int keep = _rng.Next(d.Count); d.RemoveRange(keep, d.Count - keep); break; }
            case 4: { int at = _rng.Next(d.Count); int n = Math.Min(d.Count - at, 1 + _rng.Next(64)); d.RemoveRange(at, n); break; }
            case 5: { int at = _rng.Next(d.Count); int n = Math.Min(d.Count - at, 1 + _rng.Next(256)); d.InsertRange(_rng.Next(d.Count + 1), d.GetRange(at, n)); break; }
            case 6: { d[_rng.Next(d.Count)] = (byte)(_rng.Next(2) == 0 ? 0 : 0xFF); break; }
            case 7: { var extra = new byte[1 + _rng.Next(64)]; _rng.NextBytes(extra); d.InsertRange(_rng.Next(d.Count + 1), extra); break; }
            default: // a format token (a header key, a huge number, a delimiter), inserted or overwriting
            {
                var t = tokens![_rng.Next(tokens.Count)];
                int at = _rng.Next(d.Count + 1);
                if (_rng.Next(2) == 0) d.InsertRange(at, t);
                else for (int k = 0; k < t.Length; k++) { if (at + k < d.Count) d[at + k] = t[k]; else d.Add(t[k]); }
                break;
            }
        }
    }

    /// <summary>Tokens from ASCII strings.</summary>
    public static byte[][] Ascii(params string[] words) => words.Select(w => Encoding.ASCII.GetBytes(w)).ToArray();
}
