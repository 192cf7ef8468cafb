namespace Dendrite;

/// <summary>The library-wide random source. <see cref="SetSeed"/> makes a whole run reproducible
/// (Keras: <c>keras.utils.set_random_seed</c>).</summary>
public static class Random
{
    private static RandomGenerator _global = new(Environment.TickCount64);

    /// <summary>Reseeds the global generator used by initializers, dropout, shuffling and unseeded random tensors.</summary>
    public static void SetSeed(int seed) => _global = new RandomGenerator(seed);

    /// <summary>The global generator.</summary>
    public static RandomGenerator Global => _global;

    /// <summary>A generator from <paramref name="seed"/> when given, else a child of the global generator.</summary>
    internal static RandomGenerator For(int? seed) => seed is int s ? new RandomGenerator(s) : new RandomGenerator((long)_global.NextUInt64());
}
