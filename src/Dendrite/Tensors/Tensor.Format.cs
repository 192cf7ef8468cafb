using System.Globalization;
using System.Text;

namespace Dendrite;

public sealed partial class Tensor
{
    private const int SummarizeThreshold = 1000, EdgeItems = 3;

    /// <summary>NumPy-style text: <c>[[1.  2.5]
    ///  [3.  4. ]]</c>; large tensors are summarised with <c>...</c>.</summary>
    public override string ToString()
    {
        if (Rank == 0) return FormatValues([Data[0]])[0];
        bool summarize = Size > SummarizeThreshold;
        var shown = new List<float>();
        Collect(0, 0, summarize, shown);
        var texts = FormatValues(shown.ToArray());
        int next = 0;
        var sb = new StringBuilder();
        Write(sb, 0, 0, summarize, texts, ref next);
        return sb.ToString();
    }

    private IEnumerable<int> Visible(int axis, bool summarize, out bool elided)
    {
        int d = Shape[axis];
        elided = summarize && d > 2 * EdgeItems;
        return elided ? Enumerable.Range(0, EdgeItems).Concat(Enumerable.Range(d - EdgeItems, EdgeItems)) : Enumerable.Range(0, d);
    }

    private void Collect(int axis, int offset, bool summarize, List<float> into)
    {
        int stride = Shape.Strides()[axis];
        foreach (int i in Visible(axis, summarize, out _))
        {
            if (axis == Rank - 1) into.Add(Data[offset + i]);
            else Collect(axis + 1, offset + i * stride, summarize, into);
        }
    }

    private void Write(StringBuilder sb, int axis, int offset, bool summarize, string[] texts, ref int next)
    {
        sb.Append('[');
        int stride = Shape.Strides()[axis];
        var items = Visible(axis, summarize, out bool elided).ToArray();
        for (int n = 0; n < items.Length; n++)
        {
            if (n > 0)
            {
                if (axis == Rank - 1) sb.Append(' ');
                else sb.Append('\n', Rank - axis - 1).Append(' ', axis + 1);
            }
            if (elided && n == EdgeItems)
            {
                sb.Append("...");
                if (axis == Rank - 1) sb.Append(' ');
                else sb.Append('\n', Rank - axis - 1).Append(' ', axis + 1);
            }
            if (axis == Rank - 1) sb.Append(texts[next++]);
            else Write(sb, axis + 1, offset + items[n] * stride, summarize, texts, ref next);
        }
        sb.Append(']');
    }

    /// <summary>Formats values as NumPy's str() does: shortest round-trip digits (at most 8 decimals), a common
    /// style (scientific when max >= 1e8, min &lt; 1e-4 or max/min > 1e3), decimal points aligned.</summary>
    private static string[] FormatValues(float[] values)
    {
        var inv = CultureInfo.InvariantCulture;
        var finite = values.Where(float.IsFinite).Select(Math.Abs).Where(v => v > 0).ToArray();
        float maxAbs = finite.Length > 0 ? finite.Max() : 0f, minAbs = finite.Length > 0 ? finite.Min() : 0f;
        bool scientific = finite.Length > 0 && (maxAbs >= 1e8f || minAbs < 1e-4f || maxAbs / minAbs > 1e3f);
        if (scientific)
        {
            int digits = values.Where(float.IsFinite).Select(v => MantissaDigits(v)).DefaultIfEmpty(0).Max();
            string fmt = "0." + new string('0', digits) + "e+00";
            return Pad(values.Select(v => float.IsFinite(v) ? v.ToString(fmt, inv) : Special(v)).ToArray());
        }
        return Pad(values.Select(v =>
        {
            if (!float.IsFinite(v)) return Special(v);
            string r = v.ToString("R", inv);
            if (r.Contains('E')) r = ((decimal)v).ToString(inv);
            int dot = r.IndexOf('.');
            if (dot >= 0 && r.Length - dot - 1 > 8) r = Math.Round((decimal)v, 8).ToString(inv).TrimEnd('0');
            return r.Contains('.') ? r : r + ".";
        }).ToArray());
    }

    /// <summary>Mantissa decimals the shortest round-trip form of v needs in scientific notation (at most 8).</summary>
    private static int MantissaDigits(float v)
    {
        for (int d = 0; d < 8; d++)
            if (float.Parse(v.ToString("E" + d, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) == v) return d;
        return 8;
    }

    /// <summary>Aligns decimal points: integer parts padded left, fractions padded right.</summary>
    private static string[] Pad(string[] raw)
    {
        static int Dot(string s) { int i = s.IndexOfAny(['.', 'e']); return i < 0 ? s.Length : i; }
        int intWidth = raw.Max(Dot);
        int fracWidth = raw.Max(s => s.Length - Dot(s));
        return raw.Select(s => new string(' ', intWidth - Dot(s)) + s + new string(' ', fracWidth - (s.Length - Dot(s)))).ToArray();
    }

    private static string Special(float v) => float.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
}
