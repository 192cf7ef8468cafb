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

    /// <summary>Formats values NumPy-like: a common style, decimal points aligned.</summary>
    private static string[] FormatValues(float[] values)
    {
        var inv = CultureInfo.InvariantCulture;
        var finite = values.Where(float.IsFinite).Select(Math.Abs).ToArray();
        float maxAbs = finite.Length > 0 ? finite.Max() : 0f;
        float minNonZero = finite.Where(v => v > 0).DefaultIfEmpty(0f).Min();
        bool scientific = maxAbs >= 1e8f || (minNonZero > 0 && minNonZero < 1e-4f);
        if (scientific) return values.Select(v => float.IsFinite(v) ? v.ToString("0.########e+00", inv) : Special(v)).ToArray();
        var raw = values.Select(v =>
        {
            if (!float.IsFinite(v)) return Special(v);
            string s = Math.Round((double)v, 8).ToString("0.########", inv);
            return s.Contains('.') ? s : s + ".";
        }).ToArray();
        int intWidth = raw.Max(s => s.Contains('.') ? s.IndexOf('.') : s.Length);
        int fracWidth = raw.Max(s => s.Contains('.') ? s.Length - s.IndexOf('.') - 1 : 0);
        return raw.Select(s =>
        {
            int dot = s.Contains('.') ? s.IndexOf('.') : s.Length;
            int frac = s.Contains('.') ? s.Length - dot - 1 : -1;
            return new string(' ', intWidth - dot) + s + new string(' ', fracWidth - Math.Max(frac, 0) + (frac < 0 ? 1 : 0));
        }).ToArray();
    }

    private static string Special(float v) => float.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
}
