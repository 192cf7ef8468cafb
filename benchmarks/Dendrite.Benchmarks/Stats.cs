using System.Globalization;

namespace Dendrite.Benchmarks;

/// <summary>Median / min / max of repeated measurements, formatted as the JSON contract's objects.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    public static string Json(IReadOnlyList<double> xs, int decimals = 1) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{{\"median\": {Math.Round(Median(xs), decimals)}, \"min\": {Math.Round(xs.Min(), decimals)}, \"max\": {Math.Round(xs.Max(), decimals)}}}");
}
