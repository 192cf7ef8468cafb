namespace Dendrite.Callbacks;

/// <summary>Whether a monitored value should go down ("min") or up ("max"); "auto" guesses from its name as Keras does.</summary>
internal static class MonitorMode
{
    public static bool Maximize(string mode, string monitor) => mode switch
    {
        "min" => false,
        "max" => true,
        "auto" => new[] { "acc", "auc", "precision", "recall", "f1" }.Any(monitor.Contains),
        _ => throw new ArgumentException($"mode must be \"auto\", \"min\" or \"max\", got \"{mode}\"."),
    };
}
