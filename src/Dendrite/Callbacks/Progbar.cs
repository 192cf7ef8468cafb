using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Dendrite.Callbacks;

/// <summary>
/// The Keras 3 progress bar: <c>1563/1563 ━━━━━━━━━━━━━━━━━━━━ 4s 2ms/step - accuracy: 0.4652 - loss: 1.4963</c>.
/// On a terminal the line is redrawn in place (at most every 50 ms); otherwise only the finished line is written.
/// Verbose 2 writes one short line when finished. With an unknown target (null) the counter reads
/// <c>      7/Unknown 2s 15ms/step - loss: 0.4213</c>, as Keras shows the first epoch over a data source of unknown length.
/// </summary>
public sealed class Progbar
{
    private const int Width = 20;
    private readonly int _verbose;
    private int? _target;
    private readonly TextWriter _out;
    private readonly bool _dynamic;
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _lastUpdate, _afterFirstStep;
    private int _prevWidth;

    /// <summary>
    /// A bar for <paramref name="target"/> steps (null: not known yet) written to <paramref name="output"/> (default: the console).
    /// </summary>
    public Progbar(int? target, int verbose = 1, TextWriter? output = null, bool? dynamicDisplay = null)
    {
        _target = target;
        _verbose = verbose;
        _out = output ?? Console.Out;
        _dynamic = dynamicDisplay ?? (output is null && !Console.IsOutputRedirected);
    }

    /// <summary>The number of steps, or null while unknown (set it once known, as Keras's ProgbarLogger does after an epoch).</summary>
    public int? Target
    {
        get => _target;
        set => _target = value;
    }

    /// <summary>Shows step <paramref name="current"/> with the running values; the last step finishes the line.</summary>
    public void Update(int current, IEnumerable<KeyValuePair<string, float>> values, bool? finalize = null)
    {
        bool done = finalize ?? (_target is { } t && current >= t);
        long now = Stopwatch.GetTimestamp();
        double perStep = StepDuration(current, now);
        double elapsed = Stopwatch.GetElapsedTime(_start, now).TotalSeconds;
        var inv = CultureInfo.InvariantCulture;
        if (_verbose == 1)
        {
            if (!done && (!_dynamic || Stopwatch.GetElapsedTime(_lastUpdate, now).TotalSeconds < 0.05)) return;
            if (_target is null)
            {
                UpdateUnknown(current, values, done, now, perStep, elapsed);
                return;
            }
            int target = _target.Value;
            int digits = target > 0 ? (int)Math.Log10(target) + 1 : 1;
            string counter = current.ToString(inv).PadLeft(digits) + "/" + target.ToString(inv);
            int filled = target > 0 ? (int)(Width * (double)current / target) : 0;
            var line = new StringBuilder();
            var plain = new StringBuilder();
            string time = done ? $"{elapsed.ToString("0", inv)}s" : Eta(perStep * (target - current));
            if (_dynamic)
            {
                line.Append('\r').Append("\x1b[1m").Append(counter).Append("\x1b[0m ");
                if (filled > 0) line.Append("\x1b[32m").Append('━', filled).Append("\x1b[0m");
                line.Append("\x1b[37m").Append('━', Width - filled).Append("\x1b[0m");
                line.Append(" \x1b[1m").Append(time).Append("\x1b[0m");
            }
            else line.Append(counter).Append(' ').Append('━', Width).Append(' ').Append(time);
            plain.Append(counter).Append(' ').Append('━', Width).Append(' ').Append(time);
            string info = FormatTime(perStep) + FormatValues(values);
            line.Append(info);
            plain.Append(info);
            if (_dynamic && _prevWidth > plain.Length) line.Append(' ', _prevWidth - plain.Length);
            if (done) line.Append('\n');
            _out.Write(line.ToString());
            _out.Flush();
            _prevWidth = plain.Length;
            _lastUpdate = now;
        }
        else if (_verbose == 2 && done && _target is { } target)
        {
            int digits = target > 0 ? (int)Math.Log10(target) + 1 : 1;
            _out.Write($"{current.ToString(inv).PadLeft(digits)}/{target} - {elapsed.ToString("0", inv)}s -{FormatTime(perStep)}{FormatValues(values)}\n");
            _out.Flush();
        }
    }

    /// <summary>Keras's form without a target: <c>"%7d/Unknown"</c>, the elapsed time, the time per step and the values.</summary>
    private void UpdateUnknown(int current, IEnumerable<KeyValuePair<string, float>> values, bool done, long now, double perStep, double elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        string counter = current.ToString(inv).PadLeft(7) + "/Unknown";
        string time = $"{elapsed.ToString("0", inv)}s";
        string info = FormatTime(perStep) + FormatValues(values);
        string plain = counter + " " + time + info;
        var line = new StringBuilder();
        if (_dynamic) line.Append('\r').Append(counter).Append(" \x1b[1m").Append(time).Append("\x1b[0m").Append(info);
        else line.Append(plain);
        if (_dynamic && _prevWidth > plain.Length) line.Append(' ', _prevWidth - plain.Length);
        if (done) line.Append('\n');
        _out.Write(line.ToString());
        _out.Flush();
        _prevWidth = plain.Length;
        _lastUpdate = now;
    }

    private double StepDuration(int current, long now)
    {
        if (current <= 0) return 0;
        double perStep = _afterFirstStep != 0 && current > 1
            ? Stopwatch.GetElapsedTime(_afterFirstStep, now).TotalSeconds / (current - 1)
            : Stopwatch.GetElapsedTime(_start, now).TotalSeconds / current;
        if (current == 1) _afterFirstStep = now;
        return perStep;
    }

    private static string Eta(double seconds)
    {
        var inv = CultureInfo.InvariantCulture;
        if (seconds > 3600) return string.Format(inv, "{0}:{1:00}:{2:00}", (int)(seconds / 3600), (int)(seconds % 3600 / 60), (int)(seconds % 60));
        if (seconds > 60) return string.Format(inv, "{0}:{1:00}", (int)(seconds / 60), (int)(seconds % 60));
        return ((int)seconds).ToString(inv) + "s";
    }

    /// <summary>" 2ms/step", " 1s/step" or " 45us/step" as Keras formats a step time.</summary>
    internal static string FormatTime(double perStep)
    {
        var inv = CultureInfo.InvariantCulture;
        if (perStep >= 1 || perStep == 0) return $" {perStep.ToString("0", inv)}s/step";
        if (perStep >= 1e-3) return $" {(perStep * 1e3).ToString("0", inv)}ms/step";
        return $" {(perStep * 1e6).ToString("0", inv)}us/step";
    }

    /// <summary>" - name: 0.1234" per value (scientific when |v| &lt;= 1e-3), as Keras formats them.</summary>
    internal static string FormatValues(IEnumerable<KeyValuePair<string, float>> values)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in values)
        {
            sb.Append(" - ").Append(k).Append(": ");
            sb.Append(Math.Abs(v) > 1e-3 ? v.ToString("0.0000", CultureInfo.InvariantCulture) : FormatScientific(v));
        }
        return sb.ToString();
    }

    private static string FormatScientific(float v)
    {
        // Python's {:.4e}: 1.2346e-04.
        string s = v.ToString("0.0000e+00", CultureInfo.InvariantCulture);
        return s;
    }
}
