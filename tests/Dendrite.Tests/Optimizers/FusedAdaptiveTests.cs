using Dendrite.Optimizers;

namespace Dendrite.Tests.Optimizers;

/// <summary>
/// RMSprop's, Nadam's and Adagrad's fused passes (vector widths, a scalar tail, the update split between threads from 16k elements)
/// give each element the bits of the scalar formula, step after step, with ordinary values and with a dead unit's.
/// </summary>
public class FusedAdaptiveTests
{
    private const float MinNormal = 1.17549435e-38f;

    private static float Keep(float x, float t) => MathF.Abs(x) >= t ? x : 0f;
    private static float Threshold(float f) => MinNormal / Math.Max(f, 1e-8f);
    private static float Squarable(float g) => MathF.Abs(g) >= 1.0842022e-19f ? g : 0f;

    public static TheoryData<int, bool, double> RmsCases()
    {
        var d = new TheoryData<int, bool, double>();
        foreach (int n in new[] { 37, 40_003 })
            foreach (bool centered in new[] { false, true })
                foreach (double momentum in new[] { 0.0, 0.9 })
                    d.Add(n, centered, momentum);
        return d;
    }

    [Theory, MemberData(nameof(RmsCases))]
    public void Rmsprop_matches_the_scalar_formula_bit_for_bit(int n, bool centered, double momentum)
    {
        var (w, grads) = Problem(n);
        var opt = new RMSprop(learningRate: 1e-3, rho: 0.9, momentum: momentum, epsilon: 1e-7, centered: centered);
        float[] rw = w.ToArray(), rv = new float[n], rm = new float[n], ra = new float[n];
        float lr = 1e-3f, r = 0.9f, mu = (float)momentum, eps = 1e-7f;
        foreach (var g in grads)
        {
            w.Grad = Tensor.FromArray(g);
            opt.Apply([w]);
            for (int i = 0; i < n; i++)
            {
                float gi = g[i], gs = Squarable(gi);
                rv[i] = Keep(r * rv[i] + (1 - r) * gs * gs, Threshold(r));
                float denom = rv[i];
                if (centered)
                {
                    ra[i] = Keep(r * ra[i] + (1 - r) * gi, Threshold(r));
                    denom -= ra[i] * ra[i];
                }
                float step = lr * gi / MathF.Sqrt(denom + eps);
                if (mu > 0) { rm[i] = Keep(mu * rm[i] + step, Threshold(mu)); rw[i] -= rm[i]; }
                else rw[i] -= step;
            }
        }
        Assert.Equal(rw, w.ToArray());
        Assert.Equal(rv, opt.SlotsOf(w)[0]);
        if (mu > 0) Assert.Equal(rm, opt.SlotsOf(w)[1]);
        if (centered) Assert.Equal(ra, opt.SlotsOf(w)[2]);
    }

    [Theory]
    [InlineData(37)]
    [InlineData(40_003)]
    public void Nadam_matches_the_scalar_formula_bit_for_bit(int n)
    {
        var (w, grads) = Problem(n);
        const double b1 = 0.9, b2 = 0.999;
        var opt = new Nadam(learningRate: 1e-3, beta1: b1, beta2: b2, epsilon: 1e-7);
        float[] rw = w.ToArray(), rm = new float[n], rv = new float[n];
        float lr = 1e-3f, eps = 1e-7f;
        double product = 1;
        for (int step = 0; step < grads.Length; step++)
        {
            var g = grads[step];
            w.Grad = Tensor.FromArray(g);
            opt.Apply([w]);
            double t = step + 1;
            double ut = b1 * (1 - 0.5 * Math.Pow(0.96, t)), ut1 = b1 * (1 - 0.5 * Math.Pow(0.96, t + 1));
            product *= ut;
            float cM = (float)(ut1 / (1 - product * ut1)), cG = (float)((1 - ut) / (1 - product));
            float vCorr = (float)(1 / (1 - Math.Pow(b2, t)));
            float fb1 = (float)b1, fb2 = (float)b2;
            float tm = Math.Max(Threshold(1 - fb1), Threshold(lr * cM)), tv = Threshold(1 - fb2);
            for (int i = 0; i < n; i++)
            {
                float gi = g[i], gs = Squarable(gi);
                rm[i] = Keep(rm[i] + (gi - rm[i]) * (1 - fb1), tm);
                rv[i] = Keep(rv[i] + (gs * gs - rv[i]) * (1 - fb2), tv);
                float mHat = cM * rm[i] + cG * gi;
                rw[i] -= lr * mHat / (MathF.Sqrt(rv[i] * vCorr) + eps);
            }
        }
        Assert.Equal(rw, w.ToArray());
        Assert.Equal(rm, opt.SlotsOf(w)[0]);
        Assert.Equal(rv, opt.SlotsOf(w)[1]);
    }

    /// <summary>Weights and six steps of gradients: random, with a dead unit's zeros from the third step on in every
    /// fifth element, and a gradient whose square is subnormal in every seventh.</summary>
    private static (Tensor W, float[][] Grads) Problem(int n)
    {
        var w = Tensor.RandomUniform([n], -1f, 1f, seed: 11);
        w.RequiresGrad = true;
        var grads = new float[6][];
        for (int s = 0; s < grads.Length; s++)
        {
            grads[s] = Tensor.RandomUniform([n], -0.5f, 0.5f, seed: 20 + s).ToArray();
            for (int i = 0; i < n; i++)
            {
                if (s >= 2 && i % 5 == 0) grads[s][i] = 0f;
                if (i % 7 == 3) grads[s][i] = 1e-21f;
            }
        }
        return (w, grads);
    }

    [Theory]
    [InlineData(37)]
    [InlineData(40_003)]
    public void Adagrad_matches_the_scalar_formula_bit_for_bit(int n)
    {
        var (w, grads) = Problem(n);
        var opt = new Adagrad(learningRate: 1e-2, initialAccumulatorValue: 0.1, epsilon: 1e-7);
        float[] rw = w.ToArray(), racc = Enumerable.Repeat(0.1f, n).ToArray();
        float lr = 1e-2f, eps = 1e-7f;
        foreach (var g in grads)
        {
            w.Grad = Tensor.FromArray(g);
            opt.Apply([w]);
            for (int i = 0; i < n; i++)
            {
                racc[i] += g[i] * g[i];
                rw[i] -= lr * g[i] / MathF.Sqrt(racc[i] + eps);
            }
        }
        Assert.Equal(rw, w.ToArray());
        Assert.Equal(racc, opt.SlotsOf(w)[0]);
    }
}
