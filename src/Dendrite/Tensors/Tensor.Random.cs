namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>Uniform samples in [minval, maxval). The same seed gives the same numbers; no seed draws from <see cref="RandomState.Global"/>.</summary>
    public static Tensor RandomUniform(Shape shape, float minval = 0f, float maxval = 1f, int? seed = null)
    {
        var rng = RandomState.For(seed);
        var t = Filled(shape);
        float range = maxval - minval;
        for (int i = 0; i < t.Size; i++) t.Data[i] = minval + range * rng.NextFloat();
        return float.IsFinite(minval) && float.IsFinite(range) ? t.MarkedFinite() : t;
    }

    /// <summary>Normal samples with the given mean and standard deviation.</summary>
    public static Tensor RandomNormal(Shape shape, float mean = 0f, float stddev = 1f, int? seed = null)
    {
        var rng = RandomState.For(seed);
        var t = Filled(shape);
        for (int i = 0; i < t.Size; i++) t.Data[i] = (float)(mean + stddev * rng.NextNormal());
        return FiniteNormal(mean, stddev, 9) ? t.MarkedFinite() : t;
    }

    /// <summary>Normal samples redrawn until within two standard deviations of the mean (Keras TruncatedNormal).</summary>
    public static Tensor TruncatedNormal(Shape shape, float mean = 0f, float stddev = 1f, int? seed = null)
    {
        var rng = RandomState.For(seed);
        var t = Filled(shape);
        for (int i = 0; i < t.Size; i++)
        {
            double z;
            do z = rng.NextNormal(); while (Math.Abs(z) > 2.0);
            t.Data[i] = (float)(mean + stddev * z);
        }
        return FiniteNormal(mean, stddev, 2) ? t.MarkedFinite() : t;
    }

    /// <summary>Whether every mean + stddev z with |z| at most <paramref name="maxZ"/> is a finite float (Box-Muller's
    /// |z| stays below 8.6: the square root of -2 ln 2^-53).</summary>
    private static bool FiniteNormal(float mean, float stddev, double maxZ) =>
        double.IsFinite(mean) && Math.Abs((double)mean) + maxZ * Math.Abs((double)stddev) <= float.MaxValue;
}
