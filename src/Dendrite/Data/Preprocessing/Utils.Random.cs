namespace Dendrite.Data;

public static partial class Utils
{
    /// <summary>
    /// Seeds every random draw the library makes without an explicit seed: initializers, dropout, shuffling in
    /// <c>Fit</c>, unseeded random tensors and splits (Keras <c>keras.utils.set_random_seed</c>). Same as
    /// <see cref="RandomState.SetSeed"/>.
    /// </summary>
    public static void SetRandomSeed(int seed) => RandomState.SetSeed(seed);
}
