using System.Globalization;

namespace Dendrite.Callbacks;

/// <summary>
/// Writes one CSV row per epoch: the epoch, then every log value with the keys sorted (Keras CSVLogger). With
/// <c>append: false</c> an existing file is replaced when the first epoch of the run ends, not when training begins
/// (Keras truncates in on_train_begin): a run that is cancelled, interrupted or fails before it completes an epoch
/// leaves the previous log as it was.
/// </summary>
public sealed class CSVLogger(string filename, string separator = ",", bool append = false) : Callback
{
    /// <inheritdoc/>
    public override bool RankZeroOnly => true;

    private string[]? _keys;
    private bool _headerWritten, _started;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(filename))!;
        Directory.CreateDirectory(dir);
        _headerWritten = append && File.Exists(filename) && new FileInfo(filename).Length > 0;
        _started = false;
        _keys = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        _keys ??= logs.Keys.Order(StringComparer.Ordinal).ToArray();
        // The first row of a run without append replaces the old file; later rows (and append) add to it.
        using var w = new StreamWriter(filename, append: append || _started);
        _started = true;
        if (!_headerWritten)
        {
            w.WriteLine(string.Join(separator, new[] { "epoch" }.Concat(_keys)));
            _headerWritten = true;
        }
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine(string.Join(separator, new[] { epoch.ToString(inv) }.Concat(_keys.Select(k => logs.TryGetValue(k, out float v) ? v.ToString("R", inv) : "NA"))));
    }
}
