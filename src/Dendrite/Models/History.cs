using Dendrite.Callbacks;

namespace Dendrite.Models;

/// <summary>What Fit returns: per-epoch values of the loss and every metric, training and validation (Keras History).</summary>
public sealed class History : Callback
{
    private readonly Dictionary<string, List<float>> _values = [];
    private readonly List<int> _epochs = [];

    /// <summary>The epochs run (0-based, continuing from initialEpoch).</summary>
    public IReadOnlyList<int> Epoch => _epochs;

    /// <summary>All series by name: "loss", "accuracy", "val_loss", ...</summary>
    public IReadOnlyDictionary<string, List<float>> Values => _values;

    /// <summary>The per-epoch values of one series.</summary>
    public IReadOnlyList<float> this[string key] =>
        _values.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"History has no '{key}'. It has: {string.Join(", ", _values.Keys)}.");

    /// <summary>Names of the recorded series.</summary>
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        _epochs.Add(epoch);
        // Fit's logs are a Dictionary: its own enumerator is precompiled, the interface's is compiled at the first
        // epoch.
        if (logs is Dictionary<string, float> dictionary)
            foreach (var (k, v) in dictionary) Record(k, v);
        else
            foreach (var (k, v) in logs) Record(k, v);
    }

    private void Record(string key, float value)
    {
        if (!_values.TryGetValue(key, out var list)) _values[key] = list = [];
        list.Add(value);
    }
}
