using Dendrite.Backends;
using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Operations;

/// <summary>
/// An activation's gradient, split between the threads from 16,384 values in blocks of 16: every value gets the bits
/// of one pass over the whole tensor (the vector body and the scalar tail in the same places), below and above the
/// split, with a ragged tail.
/// </summary>
public class UnaryGradSplitTests
{
    [Theory]
    [InlineData(UnaryOp.Relu)]
    [InlineData(UnaryOp.Elu)]
    [InlineData(UnaryOp.Gelu)]
    [InlineData(UnaryOp.Tanh)]
    [InlineData(UnaryOp.Sigmoid)]
    [InlineData(UnaryOp.Mish)]
    public void Split_gradient_matches_one_pass_bit_for_bit(UnaryOp op)
    {
        foreach (int size in new[] { 8000, CpuBackend.UnaryGradSplitMin, 40_003 })
        {
            var x = Tensor.RandomUniform([size], -4f, 4f, seed: size);
            var y = Tensor.Zeros([size]);
            Backend.Current.Unary(op, x, y, 0.7f);
            var dy = Tensor.RandomUniform([size], -1f, 1f, seed: size + 1);
            var dx = Tensor.Full([size], float.NaN);

            Backend.Current.UnaryGrad(op, x, y, dy, dx, 0.7f);

            var expected = new float[size];
            CpuBackend.UnaryGradRange(op, x.ToArray(), y.ToArray(), dy.ToArray(), expected, 0.7f, 0f);
            Assert.Equal(expected, dx.ToArray());
        }
    }
}
