using Xunit.Sdk;

namespace Dendrite.Tests.TestKit;

/// <summary>
/// Finite-difference gradient check. The scalar objective is L = sum(w * f(inputs)) with fixed pseudo-random
/// weights w, summed in float64; each input element is nudged by +-h (central differences) and the numerical slope
/// is compared with the gradient from Backward().
/// </summary>
internal static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float h = 1e-3f, double atol = 2e-3, double rtol = 1e-2, string? what = null)
    {
        foreach (var x in inputs) { x.RequiresGrad = true; x.Grad = null; }
        var y = f(inputs);
        var w = Tensor.RandomUniform(y.Shape, -1f, 1f, seed: 1234);
        Ops.Sum(Ops.Mul(y, w)).Backward();
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            var analytic = x.Grad?.ToArray() ?? new float[x.Size];
            for (int i = 0; i < x.Size; i++)
            {
                float orig = x.Data[i];
                float step = h * Math.Max(1f, Math.Abs(orig));
                x.Data[i] = orig + step;
                x.MarkWritten();   // written through Data: caches of its values (a Dense kernel's packed panels) go stale
                double plus = Objective(f, inputs, w);
                x.Data[i] = orig - step;
                x.MarkWritten();
                double minus = Objective(f, inputs, w);
                x.Data[i] = orig;
                x.MarkWritten();
                double numeric = (plus - minus) / (2.0 * step);
                if (!(Math.Abs(numeric - analytic[i]) <= atol + rtol * Math.Abs(numeric)))
                    throw new XunitException($"{what}: d/d input{k}[{i}] is {analytic[i]:R} by backward but {numeric:R} by finite differences.");
            }
        }
    }

    private static double Objective(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor w)
    {
        using var _ = Dendrite.Autodiff.GradMode.NoGrad();
        var y = f(inputs);
        double s = 0;
        for (int i = 0; i < y.Size; i++) s += (double)y.Data[i] * w.Data[i];
        return s;
    }
}
