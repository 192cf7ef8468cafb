using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

public class PoolingOpTests
{
    public static TheoryData<int> Cases()
    {
        var d = new TheoryData<int>();
        for (int i = 0; i < PoolNormReferences.Pool.Length; i++) d.Add(i);
        return d;
    }

    private static Tensor Input(int[] pool) => pool.Length == 2
        ? Tensor.FromArray((float[])PoolNormReferences.Pool2DInput.Clone(), 2, 5, 6, 3)
        : Tensor.FromArray((float[])PoolNormReferences.Pool1DInput.Clone(), 2, 7, 3);

    private static Tensor Run(string kind, Tensor x, int[] pool, int[] strides, string padding) =>
        kind == "max" ? Ops.MaxPool(x, pool, strides, padding) : Ops.AveragePool(x, pool, strides, padding);

    [Theory, MemberData(nameof(Cases))]
    public void Pooling_and_its_gradient_match_pytorch_with_tensorflow_padding(int index)
    {
        var c = PoolNormReferences.Pool[index];
        var x = Input(c.Pool);
        x.RequiresGrad = true;
        var y = Run(c.Kind, x, c.Pool, c.Strides, c.Padding);
        TensorAssert.ShapeIs(c.Shape, y);
        TensorAssert.Close(c.Y, y, atol: 1e-6f, rtol: 1e-6f);
        Ops.Sum(y * Tensor.Linspace(-1f, 1.5f, y.Size).Reshape(y.Shape.ToArray())).Backward();
        TensorAssert.Close(c.Grad, x.Grad!, atol: 1e-6f, rtol: 1e-5f, what: "gradient");
    }

    [Theory]
    [InlineData("max", "valid"), InlineData("max", "same"), InlineData("avg", "valid"), InlineData("avg", "same")]
    public void Pooling_gradients_match_finite_differences(string kind, string padding)
    {
        // Distinct, well separated values keep every max window's winner stable under the finite-difference nudge.
        var values = Enumerable.Range(0, 2 * 5 * 5 * 2).Select(i => (float)((i * 37) % 100) / 10f).ToArray();
        var x = Tensor.FromArray(values, 2, 5, 5, 2);
        GradCheck.Check(t => Run(kind, t[0], [3, 2], [2, 2], padding), [x], h: 1e-3f, what: $"{kind} {padding}");
    }

    [Fact]
    public void Max_pooling_same_padding_never_picks_padding_even_for_all_negative_input()
    {
        var x = Tensor.FromArray([-5f, -4f, -3f, -2f], 1, 2, 2, 1);
        TensorAssert.Close([-2f], Ops.MaxPool(x, 3, 3, "same"));
        TensorAssert.Close([-3.5f], Ops.AveragePool(x, 3, 3, "same"));
    }

    [Fact]
    public void Pooling_runs_threaded_on_a_large_batch_like_one_sample_at_a_time()
    {
        var x = Tensor.RandomUniform([64, 12, 12, 16], -1f, 1f, seed: 3);
        x.RequiresGrad = true;
        var y = Ops.MaxPool(x, 3, 2, "same");
        Ops.Sum(y).Backward();
        for (int n = 0; n < 64; n += 21)
        {
            var xs = Tensor.FromArray(x.ToArray().AsSpan(n * 12 * 12 * 16, 12 * 12 * 16).ToArray(), 1, 12, 12, 16);
            xs.RequiresGrad = true;
            var ys = Ops.MaxPool(xs, 3, 2, "same");
            Ops.Sum(ys).Backward();
            Assert.Equal(y.ToArray().AsSpan(n * ys.Size, ys.Size).ToArray(), ys.ToArray());
            Assert.Equal(x.Grad!.ToArray().AsSpan(n * xs.Size, xs.Size).ToArray(), xs.Grad!.ToArray());
        }
    }

    [Fact]
    public void Bad_pooling_arguments_throw_naming_the_problem()
    {
        var x = Tensor.Zeros([1, 3, 3, 2]);
        Assert.Contains("larger than the input", Assert.Throws<ArgumentException>(() => Ops.MaxPool(x, 4)).Message);
        Assert.Contains("padding", Assert.Throws<ArgumentException>(() => Ops.MaxPool(x, 2, padding: "full")).Message);
        Assert.Contains("rank 3", Assert.Throws<ArgumentException>(() => Ops.AveragePool(Tensor.Zeros([3, 3]), 2)).Message);
        Assert.Contains("pool_size", Assert.Throws<ArgumentException>(() => Ops.MaxPool(x, (1, 2, 3))).Message);
    }
}
