using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

public class ShapeOpTests
{
    private static Tensor Seq(params int[] shape) => Tensor.Arange(0f, new Shape(shape).Size).Reshape(shape);

    [Fact]
    public void Reshape_infers_minus_one_and_rejects_bad_sizes()
    {
        var x = Seq(2, 3, 4);
        TensorAssert.ShapeIs([6, 4], x.Reshape(-1, 4));
        TensorAssert.ShapeIs([2, 12], Ops.Flatten(x));
        var e = Assert.Throws<ArgumentException>(() => x.Reshape(5, -1));
        Assert.Contains("(2, 3, 4)", e.Message);
        Assert.Throws<ArgumentException>(() => x.Reshape(-1, -1));
    }

    [Fact]
    public void Transpose_and_permute_match_numpy()
    {
        var x = Seq(2, 3);
        TensorAssert.Close([0f, 3f, 1f, 4f, 2f, 5f], x.T);
        var y = Seq(2, 3, 4).Transpose(2, 0, 1);
        TensorAssert.ShapeIs([4, 2, 3], y);
        // numpy: np.arange(24).reshape(2,3,4).transpose(2,0,1)[1] = [[1,5,9],[13,17,21]]
        TensorAssert.Close([1f, 5f, 9f, 13f, 17f, 21f], Ops.Slice(y, 0, 1, 1));
    }

    [Fact]
    public void Slice_concat_stack_gather_match_numpy()
    {
        var x = Seq(3, 4);
        TensorAssert.Close([5f, 6f, 9f, 10f], Ops.Slice(x, [1, 1], [2, 2]));
        TensorAssert.Close([7f, 11f], Ops.Slice(x, [-2, -1], [-1, 1]));
        var c = Ops.Concat([Seq(2, 2), Seq(2, 1)], axis: 1);
        TensorAssert.Close([0f, 1f, 0f, 2f, 3f, 1f], c);
        var s = Ops.Stack([Seq(2), Seq(2) + 10f], axis: 1);
        TensorAssert.ShapeIs([2, 2], s);
        TensorAssert.Close([0f, 10f, 1f, 11f], s);
        TensorAssert.Close([8f, 9f, 10f, 11f, 0f, 1f, 2f, 3f, 8f, 9f, 10f, 11f], Ops.Gather(x, [2, 0, -1]));
        TensorAssert.Close([1f, 3f, 5f, 7f, 9f, 11f], Ops.Gather(x, [1, 3], axis: 1));
        var g2 = Ops.Gather(x, Tensor.FromArray([0f, 1f, 1f, 0f], 2, 2));
        TensorAssert.ShapeIs([2, 2, 4], g2);
    }

    [Fact]
    public void One_hot_and_its_errors()
    {
        TensorAssert.Close([0f, 1f, 0f, 0f, 0f, 1f], Ops.OneHot([1, 2], 3));
        TensorAssert.ShapeIs([2, 1, 4], Ops.OneHot(Tensor.FromArray([3f, 0f], 2, 1), 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.OneHot([3], 3));
        Assert.Throws<IndexOutOfRangeException>(() => Ops.Gather(Seq(3, 2), [3]));
    }

    [Fact]
    public void Shape_op_gradients_match_finite_differences()
    {
        GradCheck.Check(t => t[0].Transpose(1, 2, 0), [Tensor.RandomUniform([2, 3, 4], seed: 8)], what: "transpose");
        GradCheck.Check(t => Ops.Slice(t[0], [0, 1], [2, 2]), [Tensor.RandomUniform([3, 4], seed: 9)], what: "slice");
        GradCheck.Check(t => Ops.Concat([t[0], t[1]], 0), [Tensor.RandomUniform([2, 3], seed: 10), Tensor.RandomUniform([1, 3], seed: 11)], what: "concat");
        GradCheck.Check(t => Ops.Stack([t[0], t[1]], 1), [Tensor.RandomUniform([2, 3], seed: 12), Tensor.RandomUniform([2, 3], seed: 13)], what: "stack");
        GradCheck.Check(t => Ops.Gather(t[0], [2, 0, 2]), [Tensor.RandomUniform([3, 2], seed: 14)], what: "gather");
        GradCheck.Check(t => t[0].Reshape(6) * 2f, [Tensor.RandomUniform([2, 3], seed: 15)], what: "reshape");
        GradCheck.Check(t => Ops.BroadcastTo(t[0], [3, 2, 4]), [Tensor.RandomUniform([2, 1], seed: 16)], what: "broadcast_to");
    }

    [Fact]
    public void Gather_gradient_adds_repeated_indices()
    {
        var x = Seq(3, 2);
        x.RequiresGrad = true;
        Ops.Sum(Ops.Gather(x, [1, 1, 2])).Backward();
        TensorAssert.Close([0f, 0f, 2f, 2f, 1f, 1f], x.Grad!);
    }
}
