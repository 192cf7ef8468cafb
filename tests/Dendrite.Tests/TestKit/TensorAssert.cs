using Xunit.Sdk;

namespace Dendrite.Tests.TestKit;

/// <summary>Element-wise closeness checks with explicit tolerances: |actual - expected| &lt;= atol + rtol * |expected|.</summary>
internal static class TensorAssert
{
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float atol = 1e-6f, float rtol = 1e-5f, string? what = null)
    {
        if (expected.Length != actual.Length)
            throw new XunitException($"{what}: length {actual.Length}, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) ? !float.IsNaN(a) : float.IsInfinity(e) ? e != a : !(Math.Abs(a - e) <= atol + rtol * Math.Abs(e)))
                throw new XunitException($"{what}: element {i} is {a:R}, expected {e:R} (atol {atol}, rtol {rtol}).");
        }
    }

    public static void Close(float[] expected, Tensor actual, float atol = 1e-6f, float rtol = 1e-5f, string? what = null) =>
        Close(expected.AsSpan(), actual.AsSpan(), atol, rtol, what);

    public static void Close(Tensor expected, Tensor actual, float atol = 1e-6f, float rtol = 1e-5f, string? what = null)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Close(expected.AsSpan(), actual.AsSpan(), atol, rtol, what);
    }

    public static void ShapeIs(int[] expected, Tensor t) => Assert.Equal(new Shape(expected), t.Shape);
}
