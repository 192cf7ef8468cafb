using System.Globalization;
using System.Text.RegularExpressions;

namespace Dendrite.Callbacks;

/// <summary>
/// Saves the model after each epoch (Keras ModelCheckpoint) to a path that may contain Python-style fields, e.g.
/// <c>"ckpt-{epoch:02d}-{val_loss:.2f}.keras"</c>; with saveBestOnly only when the monitored value improves. The whole
/// model goes to a ".keras" file; with saveWeightsOnly the weights go to a ".weights.h5" file (other extensions are
/// refused, as in Keras). Files are written atomically. Needs <c>Dendrite.Saving.Hdf5.Hdf5Saving.Enable()</c>.
/// </summary>
public sealed partial class ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool saveBestOnly = false,
    bool saveWeightsOnly = false, string mode = "auto", TextWriter? output = null) : Callback
{
    private readonly string _filepath = CheckExtension(filepath, saveWeightsOnly);

    private static string CheckExtension(string filepath, bool weightsOnly)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        if (weightsOnly && !filepath.EndsWith(".weights.h5", StringComparison.Ordinal))
            throw new ArgumentException($"When using saveWeightsOnly: true in ModelCheckpoint, the filepath provided must end in `.weights.h5` (Keras weights format). Received: filepath={filepath}", nameof(filepath));
        if (!weightsOnly && !filepath.EndsWith(".keras", StringComparison.Ordinal))
            throw new ArgumentException($"The filepath provided must end in `.keras` (Keras model format). Received: filepath={filepath}", nameof(filepath));
        return filepath;
    }

    /// <inheritdoc/>
    public override bool RankZeroOnly => true;

    private readonly bool _max = MonitorMode.Maximize(mode, monitor);
    private double _best = MonitorMode.Maximize(mode, monitor) ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>Whether only the weights are written (a .weights.h5 file) rather than the whole model (a .keras file).</summary>
    public bool SaveWeightsOnly { get; } = saveWeightsOnly;

    /// <summary>The files written so far.</summary>
    public List<string> Saved { get; } = [];

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        string path = Format(_filepath, epoch + 1, logs);
        var o = Output(output);
        var inv = CultureInfo.InvariantCulture;
        if (saveBestOnly)
        {
            if (!logs.TryGetValue(monitor, out float current)) return;
            bool better = _max ? current > _best : current < _best;
            if (!better)
            {
                if (verbose > 0) o.WriteLine($"Epoch {epoch + 1}: {monitor} did not improve from {Fmt(_best)}");
                return;
            }
            if (verbose > 0) o.WriteLine($"Epoch {epoch + 1}: {monitor} improved from {Fmt(_best)} to {current.ToString("F5", inv)}, saving model to {path}");
            _best = current;
        }
        else if (verbose > 0) o.WriteLine($"Epoch {epoch + 1}: saving model to {path}");
        if (SaveWeightsOnly) Model!.SaveWeights(path);
        else Model!.Save(path);
        Saved.Add(path);
    }

    private static string Fmt(double v) => double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf") : v.ToString("F5", CultureInfo.InvariantCulture);

    /// <summary>Fills "{epoch}", "{epoch:02d}", "{val_loss:.2f}" and the like.</summary>
    internal static string Format(string pattern, int epoch, IReadOnlyDictionary<string, float> logs) =>
        Field().Replace(pattern, m =>
        {
            string key = m.Groups[1].Value, spec = m.Groups[2].Value;
            double value = key == "epoch" ? epoch
                : logs.TryGetValue(key, out float v) ? v
                : throw new KeyNotFoundException($"ModelCheckpoint: the file name uses '{{{key}}}', but the logs only have epoch, {string.Join(", ", logs.Keys)}.");
            var inv = CultureInfo.InvariantCulture;
            if (spec.Length == 0) return key == "epoch" ? epoch.ToString(inv) : value.ToString("R", inv);
            if (spec.EndsWith('d')) return ((long)value).ToString(new string('0', int.Parse(spec[..^1].TrimStart('0') is { Length: > 0 } w ? w : "1", inv)), inv);
            if (spec.StartsWith('.') && spec.EndsWith('f')) return value.ToString("F" + spec[1..^1], inv);
            throw new FormatException($"ModelCheckpoint: unsupported format '{spec}' for '{key}' (use d or .Nf).");
        });

    [GeneratedRegex(@"\{(\w+)(?::([^}]*))?\}")]
    private static partial Regex Field();
}
