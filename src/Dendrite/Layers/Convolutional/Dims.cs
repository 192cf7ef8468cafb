using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>
/// A Keras "int or tuple" argument (kernel size, strides, pool size, dilation rate): one int used on every spatial axis,
/// or one value per axis. Converts implicitly from <c>int</c>, <c>(int, int)</c>, <c>(int, int, int)</c> and <c>int[]</c>,
/// so <c>kernelSize: 3</c> and <c>kernelSize: (3, 5)</c> both read as Keras.
/// </summary>
public readonly struct Dims : IEquatable<Dims>
{
    private readonly int[]? _values;

    /// <summary>One value per axis, or a single value for every axis.</summary>
    public Dims(params int[] values) => _values = values is null ? null : (int[])values.Clone();

    /// <summary>The values as given (one, or one per axis); empty for a default instance.</summary>
    public IReadOnlyList<int> Values => _values ?? [];

    /// <summary>True for a default (unset) instance.</summary>
    public bool IsEmpty => _values is null || _values.Length == 0;

    /// <summary>The value for each of <paramref name="rank"/> axes, each checked to be at least <paramref name="minimum"/>.</summary>
    /// <exception cref="ArgumentException">A wrong count of values, or a value below the minimum; the message names the layer and the argument.</exception>
    public int[] Expand(int rank, string layer, string argument, int minimum = 1)
    {
        if (IsEmpty) throw new ArgumentException($"Layer '{layer}': {argument} needs a value.", argument);
        var v = _values!;
        if (v.Length != 1 && v.Length != rank)
            throw new ArgumentException($"Layer '{layer}': {argument} takes one int or {rank} ints, got ({string.Join(", ", v)}).", argument);
        var r = v.Length == 1 ? Filled(v[0], rank) : (int[])v.Clone();
        foreach (var x in r)
            if (x < minimum)
                throw new ArgumentException($"Layer '{layer}': every {argument} value must be at least {minimum}, got ({string.Join(", ", v)}).", argument);
        return r;
    }

    /// <summary><paramref name="value"/> for each of <paramref name="rank"/> axes (a loop: <c>Enumerable.Repeat</c>'s
    /// iterator over int is compiled at its first call in a fresh process, on the way to every convolution's build).</summary>
    internal static int[] Filled(int value, int rank)
    {
        var r = new int[rank];
        for (int i = 0; i < rank; i++) r[i] = value;
        return r;
    }

    /// <summary>The JSON array Keras writes for this argument (one entry per axis).</summary>
    public static JsonArray ToJson(int[] expanded) => new(expanded.Select(x => (JsonNode)x).ToArray());

    /// <summary>Reads an int or an int array from a Keras config value.</summary>
    public static Dims FromJson(JsonNode? node, string layer, string key) => node switch
    {
        JsonArray a => new Dims(a.Select(x => (int)(x ?? throw new ArgumentException($"The config of {layer} has a null in '{key}'."))).ToArray()),
        JsonValue v => new Dims((int)v),
        _ => throw new ArgumentException($"The config of {layer} needs '{key}'."),
    };

    /// <summary>One value for every axis.</summary>
    public static implicit operator Dims(int value) => new(value);
    /// <summary>One value per axis.</summary>
    public static implicit operator Dims(int[] values) => new(values);
    /// <summary>Two axes.</summary>
    public static implicit operator Dims((int, int) v) => new(v.Item1, v.Item2);
    /// <summary>Three axes.</summary>
    public static implicit operator Dims((int, int, int) v) => new(v.Item1, v.Item2, v.Item3);

    /// <inheritdoc/>
    public bool Equals(Dims other) => Values.SequenceEqual(other.Values);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Dims d && Equals(d);
    /// <inheritdoc/>
    public override int GetHashCode() => Values.Aggregate(17, (h, x) => h * 31 + x);
    /// <summary>Equality by values.</summary>
    public static bool operator ==(Dims a, Dims b) => a.Equals(b);
    /// <summary>Inequality by values.</summary>
    public static bool operator !=(Dims a, Dims b) => !a.Equals(b);
    /// <inheritdoc/>
    public override string ToString() => Values.Count == 1 ? Values[0].ToString() : $"({string.Join(", ", Values)})";
}
