namespace Dendrite.Layers;

/// <summary>Collects losses that layers add during a training forward pass (activity regularization).</summary>
internal static class LossCollector
{
    [ThreadStatic] private static List<Tensor>? _current, _spare;

    /// <summary>Starts collecting on this thread; returns the list that <see cref="Add"/> fills (valid until the next Begin).</summary>
    public static List<Tensor> Begin()
    {
        var list = _spare ??= [];
        list.Clear();
        return _current = list;
    }

    /// <summary>Stops collecting.</summary>
    public static void End() => _current = null;

    public static void Add(Tensor loss) => _current?.Add(loss);
}
