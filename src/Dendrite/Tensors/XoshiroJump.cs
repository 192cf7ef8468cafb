using System.Collections.Concurrent;

namespace Dendrite;

/// <summary>
/// Jumps of xoshiro256** (<see cref="RandomGenerator"/>) by any number of steps: the state moves by a linear map T
/// over GF(2)^256, so T^n s = q(T) s for q = x^n mod p, p being T's characteristic polynomial (degree 256; found once
/// with Berlekamp-Massey from one state bit over 512 steps: since p is primitive, every nonzero bit sequence of the
/// state has it as its minimal polynomial). <see cref="RandomGenerator.FillBernoulli"/> uses it to run 16 stretches of one stream side
/// by side and still draw exactly what a loop over the stream draws.
/// </summary>
internal static class XoshiroJump
{
    /// <summary>Stretches run side by side (two 8-lane vectors of states).</summary>
    public const int Lanes = 16;

    private static readonly Lazy<ulong[]?> Poly = new(FindCharacteristicPolynomial);
    private static readonly ConcurrentDictionary<int, ushort[]> Tables = new();

    /// <summary>T's characteristic polynomial below its x^256 term (four words); null if it could not be found.</summary>
    public static ulong[]? CharacteristicPolynomial => Poly.Value;

    /// <summary>For a stretch of <paramref name="n"/> draws: entry i has bit k (k = 1..15) set when x^(k n) mod p has
    /// x^i, so lane k's start state is the XOR of T^i s over those i; null when p could not be found.</summary>
    public static ushort[]? LaneTable(int n)
    {
        if (CharacteristicPolynomial is not { } p) return null;
        if (Tables.TryGetValue(n, out var cached)) return cached;
        var table = BuildTable(n, p);
        // Kept for up to MaxTables stretch lengths (a model's few batch shapes); beyond that built per call (~0.1 ms).
        if (Tables.Count < MaxTables) Tables.TryAdd(n, table);
        return table;
    }

    private const int MaxTables = 256;

    private static ushort[] BuildTable(int n, ulong[] p)
    {
        var table = new ushort[256];
        var step = PowerOfX(n, p);
        var q = step;
        for (int k = 1; k < Lanes; k++)
        {
            for (int i = 0; i < 256; i++)
                if (Bit(q, i)) table[i] |= (ushort)(1 << k);
            q = MulMod(q, step, p);
        }
        return table;
    }

    /// <summary>x^n mod p (degree below 256, four words).</summary>
    internal static ulong[] PowerOfX(long n, ulong[] p)
    {
        var result = new ulong[4];
        result[0] = 1;
        var x = new ulong[4];
        x[0] = 2;   // x
        for (; n > 0; n >>= 1)
        {
            if ((n & 1) != 0) result = MulMod(result, x, p);
            x = MulMod(x, x, p);
        }
        return result;
    }

    /// <summary>a b mod p (Horner over b's bits from the top: r = r x + a where b has the bit).</summary>
    internal static ulong[] MulMod(ulong[] a, ulong[] b, ulong[] p)
    {
        ulong r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        for (int i = 255; i >= 0; i--)
        {
            ulong carry = r3 >> 63;
            r3 = r3 << 1 | r2 >> 63; r2 = r2 << 1 | r1 >> 63; r1 = r1 << 1 | r0 >> 63; r0 <<= 1;
            if (carry != 0) { r0 ^= p[0]; r1 ^= p[1]; r2 ^= p[2]; r3 ^= p[3]; }   // x^256 = the rest of p
            if (Bit(b, i)) { r0 ^= a[0]; r1 ^= a[1]; r2 ^= a[2]; r3 ^= a[3]; }
        }
        return [r0, r1, r2, r3];
    }

    /// <summary>Whether polynomial <paramref name="q"/> (bit i = the coefficient of x^i) has x^<paramref name="i"/>.</summary>
    internal static bool Bit(ulong[] q, int i) => (q[i >> 6] >> (i & 63) & 1) != 0;

    /// <summary>T's characteristic polynomial without its x^256 term (four words), from the low bit of s0 over 512
    /// steps of a fixed nonzero state; null if Berlekamp-Massey does not find degree 256.</summary>
    private static ulong[]? FindCharacteristicPolynomial()
    {
        const int n = 512;
        var bits = new byte[n];
        ulong s0 = 0x9E3779B97F4A7C15UL, s1 = 0xBF58476D1CE4E5B9UL, s2 = 0x94D049BB133111EBUL, s3 = 1;
        for (int i = 0; i < n; i++)
        {
            bits[i] = (byte)(s0 & 1);
            RandomGenerator.Step(ref s0, ref s1, ref s2, ref s3);
        }
        // Berlekamp-Massey over GF(2): the shortest c (c0 = 1) with sum c_j bits[i - j] = 0 for every i >= L.
        var c = new byte[n + 1]; var b = new byte[n + 1];
        c[0] = b[0] = 1;
        int length = 0, m = 1;
        for (int i = 0; i < n; i++)
        {
            int d = bits[i];
            for (int j = 1; j <= length; j++) d ^= c[j] & bits[i - j];
            if (d == 0) { m++; continue; }
            var t = (byte[])c.Clone();
            for (int j = 0; j + m <= n; j++) c[j + m] ^= b[j];
            if (2 * length <= i) { length = i + 1 - length; b = t; m = 1; }
            else m++;
        }
        if (length != 256) return null;
        // The recurrence's polynomial: x^256 + c1 x^255 + ... + c256, i.e. the coefficient of x^j is c[256 - j].
        var p = new ulong[4];
        for (int j = 0; j < 256; j++)
            if (c[256 - j] != 0) p[j >> 6] |= 1UL << (j & 63);
        return p;
    }
}
