namespace Dendrite;

/// <summary>
/// The library-wide random source. <see cref="SetSeed"/> (or <c>Utils.SetRandomSeed</c>, Keras's
/// <c>keras.utils.set_random_seed</c>) makes a whole run reproducible. Named so that it never hides
/// <see cref="System.Random"/>: <c>using Dendrite;</c> and <c>new Random(0)</c> live together.
/// (Before 2026-12 this class was <c>Dendrite.Random</c>; <c>Dendrite.Random.SetSeed(s)</c> is now <c>RandomState.SetSeed(s)</c>.)
/// </summary>
public static class RandomState
{
    private static RandomGenerator _global = new(Environment.TickCount64);

    /// <summary>Reseeds the global generator used by initializers, dropout, shuffling and unseeded random tensors.</summary>
    public static void SetSeed(int seed) => _global = new RandomGenerator(seed);

    /// <summary>The global generator.</summary>
    public static RandomGenerator Global => _global;

    /// <summary>A generator from <paramref name="seed"/> when given, else a child of the global generator.</summary>
    internal static RandomGenerator For(int? seed) => seed is int s ? new RandomGenerator(s) : new RandomGenerator((long)_global.NextUInt64());
}
