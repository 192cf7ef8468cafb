using Dendrite.Backends;
using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Operations;

/// <summary>
/// An activation's gradient and a same-shape binary op, split between the threads from 16,384 values in blocks of 16:
/// every value gets the bits of one pass over the whole tensor (the vector body and the scalar tail in the same
/// places), below and above the split, with a ragged tail.
/// </summary>
public class ElementwiseSplitTests
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
        foreach (int size in new[] { 8000, CpuBackend.ElementwiseSplitMin, 40_003 })
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

    [Theory]
    [InlineData(BinaryOp.Add)]
    [InlineData(BinaryOp.Mul)]
    [InlineData(BinaryOp.Div)]
    [InlineData(BinaryOp.Pow)]
    [InlineData(BinaryOp.Maximum)]
    [InlineData(BinaryOp.SigmoidCrossEntropy)]
    public void Split_binary_op_matches_one_pass_bit_for_bit(BinaryOp op)
    {
        foreach (int size in new[] { 8000, CpuBackend.ElementwiseSplitMin, 40_003 })
        {
            var a = Tensor.RandomUniform([size], 0.1f, 3f, seed: size);
            var b = Tensor.RandomUniform([size], -2f, 2f, seed: size + 1);
            var y = Tensor.Full([size], float.NaN);

            Backend.Current.Binary(op, a, b, y);

            // One pass per piece of 4,096 values (under the split, whole vectors but the last): the same paths.
            var expected = new float[size];
            for (int from = 0; from < size; from += 4096)
            {
                int len = Math.Min(4096, size - from);
                var piece = Tensor.Zeros([len]);
                Backend.Current.Binary(op, Tensor.FromArray(a.ToArray()[from..(from + len)]), Tensor.FromArray(b.ToArray()[from..(from + len)]), piece);
                piece.ToArray().CopyTo(expected, from);
            }
            Assert.Equal(expected, y.ToArray());
        }
    }
}
