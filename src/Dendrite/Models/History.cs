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
        foreach (var (k, v) in logs)
        {
            if (!_values.TryGetValue(k, out var list)) _values[k] = list = [];
            list.Add(v);
        }
    }
}
