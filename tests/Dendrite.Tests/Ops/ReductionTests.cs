using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

public class ReductionTests
{
    private static Tensor Apply(string op, Tensor x, int[]? axes, bool keep) => op switch
    {
        "Sum" => Ops.Sum(x, axes, keep), "Mean" => Ops.Mean(x, axes, keep),
        "Max" => Ops.Max(x, axes, keep), "Min" => Ops.Min(x, axes, keep),
        _ => throw new ArgumentException(op),
    };

    public static TheoryData<int> Cases()
    {
        var d = new TheoryData<int>();
        for (int i = 0; i < OpReferences.Reductions.Length; i++) d.Add(i);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Reductions_and_gradients_match_pytorch(int index)
    {
        var c = OpReferences.Reductions[index];
        var x = Tensor.FromArray(OpReferences.ReductionInput, 2, 3, 4);
        x.RequiresGrad = true;
        var y = Apply(c.Op, x, c.Axes, c.KeepDims);
        TensorAssert.ShapeIs(c.YShape, y);
        TensorAssert.Close(c.Y, y, what: c.Op);
        var w = Tensor.Linspace(-1f, 1.5f, y.Size);
        Ops.Sum(y * (y.Size > 1 ? w.Reshape(c.YShape) : Tensor.Ones(y.Shape))).Backward();
        TensorAssert.Close(c.Grad, x.Grad!, atol: 1e-6f, what: c.Op + " gradient");
    }

    [Theory]
    [InlineData("Sum"), InlineData("Mean"), InlineData("Max"), InlineData("Min")]
    public void Gradients_match_finite_differences(string op)
    {
        // Distinct values so max/min are differentiable.
        var x = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (float)((i * 7) % 24) * 0.37f - 3f).ToArray(), 2, 3, 4);
        GradCheck.Check(t => Apply(op, t[0], [1], false), [x], what: op + " axis 1");
        GradCheck.Check(t => Apply(op, t[0], [0, 2], true), [x.Clone()], what: op + " axes 0,2");
    }

    [Fact]
    public void ArgMax_and_ArgMin_pick_first_extreme()
    {
        var x = Tensor.FromArray(new float[,] { { 1f, 5f, 5f }, { -2f, -7f, 0f } });
        TensorAssert.Close([1f, 2f], Ops.ArgMax(x));
        TensorAssert.Close([0f, 1f], Ops.ArgMin(x));
        TensorAssert.Close([0f, 0f, 0f], Ops.ArgMax(x, axis: 0));
        TensorAssert.ShapeIs([2, 1], Ops.ArgMax(x, keepDims: true));
    }

    [Fact]
    public void Sum_of_large_tensor_is_accurate()
    {
        var x = Tensor.Full([1000, 1000], 0.1f);
        Assert.Equal(100000.0, Ops.Sum(x).Item(), 0.5);
        TensorAssert.Close(Enumerable.Repeat(100f, 1000).ToArray(), Ops.Sum(x, 0), rtol: 1e-5f);
    }

    [Fact]
    public void SumTo_undoes_broadcasting()
    {
        var g = Tensor.Ones([4, 2, 3]);
        TensorAssert.Close(Enumerable.Repeat(8f, 3).ToArray(), Ops.SumTo(g, [1, 3]));
        TensorAssert.ShapeIs([2, 1], Ops.SumTo(g, [2, 1]));
        TensorAssert.Close([12f, 12f], Ops.SumTo(g, [2, 1]));
    }

    /// <summary>The fused "sum times a constant" of the losses and of a mean over every axis: the same bits as
    /// <c>Mul(Sum(x), s)</c>, forward and backward, and finite differences.</summary>
    [Theory]
    [InlineData(new[] { 64 }, 1f / 64), InlineData(new[] { 3, 5, 7 }, 0.37f), InlineData(new int[0], 2f)]
    public void Scaled_sum_is_bitwise_the_sum_then_the_multiply(int[] shape, float scale)
    {
        var a = Tensor.RandomUniform(shape, -3f, 3f, seed: 21);
        var b = a.Clone();
        a.RequiresGrad = b.RequiresGrad = true;
        var fused = Ops.ScaledSum(a, scale);
        var plain = Ops.Mul(Ops.Sum(b), scale);
        TensorAssert.ShapeIs(plain.Shape.ToArray(), fused);
        Assert.Equal(plain.Item(), fused.Item());
        (fused * 1.7f).Backward();
        (plain * 1.7f).Backward();
        Assert.Equal(b.Grad!.ToArray(), a.Grad!.ToArray());
        Assert.All(a.Grad!.ToArray(), v => Assert.Equal(1.7f * scale, v));
        GradCheck.Check(t => Ops.ScaledSum(t[0], scale), [Tensor.RandomUniform(shape, -1f, 1f, seed: 22)]);
    }
}
