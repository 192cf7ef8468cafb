using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

public class MatMulTests
{
    public static TheoryData<int> Cases()
    {
        var d = new TheoryData<int>();
        for (int i = 0; i < OpReferences.MatMul.Length; i++) d.Add(i);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Product_and_gradients_match_pytorch(int index)
    {
        var c = OpReferences.MatMul[index];
        var a = Tensor.FromArray(c.A, c.AShape);
        var b = Tensor.FromArray(c.B, c.BShape);
        a.RequiresGrad = b.RequiresGrad = true;
        var y = Ops.MatMul(a, b);
        TensorAssert.ShapeIs(c.YShape, y);
        TensorAssert.Close(c.Y, y, atol: 1e-5f);
        Ops.Sum(y * Tensor.Linspace(-1f, 1.5f, y.Size).Reshape(c.YShape)).Backward();
        TensorAssert.Close(c.GradA, a.Grad!, atol: 1e-5f, what: "dA");
        TensorAssert.Close(c.GradB, b.Grad!, atol: 1e-5f, what: "dB");
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 4, 2 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4, 2 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 4, 5 })]
    [InlineData(new[] { 3, 4 }, new[] { 2, 4, 2 })]
    public void Gradients_match_finite_differences(int[] sa, int[] sb)
    {
        var a = Tensor.RandomUniform(sa, -1f, 1f, seed: 3);
        var b = Tensor.RandomUniform(sb, -1f, 1f, seed: 4);
        GradCheck.Check(t => Ops.MatMul(t[0], t[1]), [a, b], what: "matmul");
    }

    [Fact]
    public void Misaligned_shapes_name_both()
    {
        var e = Assert.Throws<ArgumentException>(() => Ops.MatMul(Tensor.Zeros([2, 3]), Tensor.Zeros([4, 5])));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(4, 5)", e.Message);
    }
}
