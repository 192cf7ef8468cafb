using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

public class BinaryOpTests
{
    private static Tensor Apply(string name, Tensor a, Tensor b) => name switch
    {
        "Add" => a + b, "Sub" => a - b, "Mul" => a * b, "Div" => a / b, "Pow" => Ops.Pow(a, b),
        "Minimum" => Ops.Minimum(a, b), "Maximum" => Ops.Maximum(a, b),
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<int> Cases()
    {
        var d = new TheoryData<int>();
        for (int i = 0; i < OpReferences.Binary.Length; i++) d.Add(i);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Broadcasting_forward_and_gradients_match_pytorch(int index)
    {
        var c = OpReferences.Binary[index];
        var a = Tensor.FromArray(c.A, c.AShape);
        var b = Tensor.FromArray(c.B, c.BShape);
        a.RequiresGrad = b.RequiresGrad = true;
        var y = Apply(c.Name, a, b);
        TensorAssert.ShapeIs(c.YShape, y);
        TensorAssert.Close(c.Y, y, atol: 1e-6f, rtol: 2e-6f, what: c.Name);
        Ops.Sum(y * Tensor.Linspace(-1f, 1.5f, y.Size).Reshape(c.YShape)).Backward();
        TensorAssert.ShapeIs(c.AShape, a.Grad!);
        TensorAssert.ShapeIs(c.BShape, b.Grad!);
        TensorAssert.Close(c.GradA, a.Grad!, atol: 2e-6f, rtol: 2e-6f, what: c.Name + " dA");
        TensorAssert.Close(c.GradB, b.Grad!, atol: 2e-6f, rtol: 2e-6f, what: c.Name + " dB");
    }

    [Theory]
    [InlineData("Add"), InlineData("Sub"), InlineData("Mul"), InlineData("Div"), InlineData("Pow"), InlineData("Minimum"), InlineData("Maximum")]
    public void Gradients_match_finite_differences_under_broadcasting(string name)
    {
        var a = Tensor.RandomUniform([3, 1, 4], 0.5f, 2f, seed: 1);
        var b = Tensor.RandomUniform([2, 1], 0.6f, 1.9f, seed: 2);
        GradCheck.Check(t => Apply(name, t[0], t[1]), [a, b], what: name);
    }

    [Fact]
    public void Scalar_operands_and_operators()
    {
        var x = Tensor.FromArray([1f, -2f, 3f]);
        TensorAssert.Close([3f, 0f, 5f], x + 2f);
        TensorAssert.Close([-2f, 4f, -6f], 2f - x - 2f - x + 0f);
        TensorAssert.Close([0.5f, -1f, 1.5f], x / 2f);
        TensorAssert.Close([6f, -3f, 2f], 6f / x);
        TensorAssert.Close([1f, 4f, 9f], Ops.Pow(x, 2f));
    }

    [Fact]
    public void Comparisons_and_where()
    {
        var a = Tensor.FromArray([1f, 2f, 3f]);
        var b = Tensor.FromArray([2f, 2f, 2f]);
        TensorAssert.Close([0f, 0f, 1f], Ops.Greater(a, b));
        TensorAssert.Close([0f, 1f, 1f], Ops.GreaterEqual(a, b));
        TensorAssert.Close([1f, 0f, 0f], Ops.Less(a, b));
        TensorAssert.Close([1f, 1f, 0f], Ops.LessEqual(a, b));
        TensorAssert.Close([0f, 1f, 0f], Ops.Equal(a, b));
        TensorAssert.Close([1f, 0f, 1f], Ops.NotEqual(a, b));

        a.RequiresGrad = b.RequiresGrad = true;
        var cond = Ops.Greater(a, Tensor.Scalar(1.5f));
        var y = Ops.Where(cond, a * 10f, b);
        TensorAssert.Close([2f, 20f, 30f], y);
        Ops.Sum(y).Backward();
        TensorAssert.Close([0f, 10f, 10f], a.Grad!);
        TensorAssert.Close([1f, 0f, 0f], b.Grad!);
    }

    [Fact]
    public void Where_does_not_leak_nan_from_the_unselected_branch()
    {
        var x = Tensor.FromArray([-1f, 4f]);
        var y = Ops.Where(Ops.Greater(x, Tensor.Scalar(0f)), Ops.Sqrt(x), Tensor.Scalar(0f));
        TensorAssert.Close([0f, 2f], y);
    }

    [Fact]
    public void Clip_matches_hand_values_and_gradient_mask()
    {
        var x = Tensor.FromArray([-2f, -1f, 0.5f, 1f, 3f]);
        x.RequiresGrad = true;
        var y = Ops.Clip(x, -1f, 1f);
        TensorAssert.Close([-1f, -1f, 0.5f, 1f, 1f], y);
        Ops.Sum(y).Backward();
        TensorAssert.Close([0f, 1f, 1f, 1f, 0f], x.Grad!);
        Assert.Throws<ArgumentException>(() => Ops.Clip(x, 2f, 1f));
    }

    [Fact]
    public void Shapes_that_do_not_broadcast_name_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]) + Tensor.Zeros([4]));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(4,)", e.Message);
    }
}
