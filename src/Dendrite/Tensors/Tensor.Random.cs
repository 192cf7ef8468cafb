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
        return t;
    }

    /// <summary>Normal samples with the given mean and standard deviation.</summary>
    public static Tensor RandomNormal(Shape shape, float mean = 0f, float stddev = 1f, int? seed = null)
    {
        var rng = RandomState.For(seed);
        var t = Filled(shape);
        for (int i = 0; i < t.Size; i++) t.Data[i] = (float)(mean + stddev * rng.NextNormal());
        return t;
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
        return t;
    }
}
