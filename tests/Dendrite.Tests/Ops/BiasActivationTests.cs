using Dendrite.Backends;

namespace Dendrite.Tests.Operations;

/// <summary>
/// The fused bias + activation pass (a dense layer's epilogue), on one thread below 8,192 values and split by rows
/// between the threads from there: y = op(x + bias) and the kept pre-activation z = x + bias, bit for bit the separate
/// add and activation kernels', for every row of every split.
/// </summary>
public class BiasActivationTests
{
    [Theory]
    [InlineData(null, 100)]
    [InlineData(UnaryOp.Relu, 100)]
    [InlineData(UnaryOp.LeakyRelu, 100)]
    [InlineData(UnaryOp.Elu, 128)]
    [InlineData(UnaryOp.Tanh, 128)]
    [InlineData(UnaryOp.Sigmoid, 128)]
    [InlineData(UnaryOp.Gelu, 128)]
    [InlineData(UnaryOp.GeluTanh, 128)]   // no fused kernel: the bias pass, then the op's own kernel, row range by row range
    [InlineData(UnaryOp.Square, 100)]
    public void Split_and_one_thread_passes_give_the_separate_kernels_bits(UnaryOp? op, int n)
    {
        foreach (int rows in new[] { 3, 63, 64, 200, 257 })   // 300-32,896 values: both sides of the split
        {
            var x = Tensor.RandomUniform([rows, n], -3f, 3f, seed: rows);
            var bias = Tensor.RandomUniform([n], -1f, 1f, seed: n);
            var z = Tensor.Full([rows, n], float.NaN);
            var y = Tensor.Full([rows, n], float.NaN);

            Backend.Current.BiasActivation(x, bias, op, 0.3f, z, y);

            var xs = x.ToArray();
            var bs = bias.ToArray();
            var sum = new float[rows * n];
            for (int i = 0; i < sum.Length; i++) sum[i] = xs[i] + bs[i % n];
            Assert.Equal(sum, z.ToArray());
            var expected = Tensor.FromArray(sum, rows, n);
            if (op is { } u) Backend.Current.Unary(u, Tensor.FromArray(sum, rows, n), expected, 0.3f);
            Assert.Equal(expected.ToArray(), y.ToArray());
        }
    }

    [Fact]
    public void In_place_with_the_pre_activation_kept_in_the_input()
    {
        // The training forward: z is the product's own buffer (x), y a new one.
        var x = Tensor.RandomUniform([128, 96], -2f, 2f, seed: 7);
        var bias = Tensor.RandomUniform([96], -1f, 1f, seed: 8);
        var before = x.ToArray();
        var y = Tensor.Zeros([128, 96]);

        Backend.Current.BiasActivation(x, bias, UnaryOp.Relu, 0f, x, y);

        var bs = bias.ToArray();
        var xs = x.ToArray();
        var ys = y.ToArray();
        for (int i = 0; i < before.Length; i++)
        {
            float v = before[i] + bs[i % 96];
            Assert.Equal(v, xs[i]);
            Assert.Equal(MathF.Max(v, 0f), ys[i]);
        }
    }
}
