using Dendrite.Autodiff;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Autodiff;

public class AutodiffTests
{
    [Fact]
    public void Chain_rule_through_a_small_network_by_hand()
    {
        // y = sum(relu(x W + b)); x = [1, 2], W = [[1, -1], [0.5, 2]], b = [0, -10]
        var x = Tensor.FromArray([1f, 2f], 1, 2);
        var w = Tensor.FromArray([1f, -1f, 0.5f, 2f], 2, 2);
        var b = Tensor.FromArray([0f, -10f]);
        w.RequiresGrad = b.RequiresGrad = true;
        var h = Ops.Relu(Ops.MatMul(x, w) + b);   // [2, -7] -> [2, 0]
        var y = Ops.Sum(h);
        Assert.Equal(2f, y.Item());
        y.Backward();
        TensorAssert.Close([1f, 0f, 2f, 0f], w.Grad!);
        TensorAssert.Close([1f, 0f], b.Grad!);
    }

    [Fact]
    public void Gradients_accumulate_across_backward_calls_until_cleared()
    {
        var x = Tensor.FromArray([3f]);
        x.RequiresGrad = true;
        Ops.Sum(x * x).Backward();
        Ops.Sum(x * x).Backward();
        Assert.Equal(12f, x.Grad![0]);
        x.ZeroGrad();
        Assert.Equal(0f, x.Grad![0]);
    }

    [Fact]
    public void Matmul_weight_gradients_accumulate_in_place_and_overwrite_when_stale()
    {
        var x = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        var w = Tensor.FromArray(new float[,] { { 0.5f }, { -1f } });
        w.RequiresGrad = true;
        Ops.Sum(Ops.MatMul(x, w)).Backward();           // dW = x^T 1 = [4, 6]
        TestKit.TensorAssert.Close([4f, 6f], w.Grad!);
        var buffer = w.Grad;
        Ops.Sum(Ops.MatMul(x, w)).Backward();           // accumulates into the same buffer
        TestKit.TensorAssert.Close([8f, 12f], w.Grad!);
        Assert.Same(buffer, w.Grad);
        w.GradIsStale = true;                            // the training loop's cheap ZeroGrad
        Ops.Sum(Ops.Mul(Ops.MatMul(x, w), 2f)).Backward();
        TestKit.TensorAssert.Close([8f, 12f], w.Grad!);  // overwritten, not added: 2 * [4, 6]
        var shared = Ops.Add(Ops.MatMul(x, w), Ops.MatMul(x, w));
        w.GradIsStale = true;
        Ops.Sum(shared).Backward();                      // two uses: the first overwrites, the second adds
        TestKit.TensorAssert.Close([8f, 12f], w.Grad!);
    }

    [Fact]
    public void A_tensor_used_twice_gets_both_contributions()
    {
        var x = Tensor.FromArray([2f, -1f]);
        x.RequiresGrad = true;
        var y = x * x + x * 3f;   // dy/dx = 2x + 3
        Ops.Sum(y).Backward();
        TensorAssert.Close([7f, 1f], x.Grad!);
    }

    [Fact]
    public void Broadcast_gradients_are_summed_back_to_each_input_shape()
    {
        var a = Tensor.Ones([4, 3]);
        var bias = Tensor.Zeros([3]);
        var col = Tensor.Ones([4, 1]);
        a.RequiresGrad = bias.RequiresGrad = col.RequiresGrad = true;
        Ops.Sum((a + bias) * col).Backward();
        TensorAssert.ShapeIs([3], bias.Grad!);
        TensorAssert.Close([4f, 4f, 4f], bias.Grad!);
        TensorAssert.ShapeIs([4, 1], col.Grad!);
        TensorAssert.Close([3f, 3f, 3f, 3f], col.Grad!);
    }

    [Fact]
    public void Non_scalar_backward_needs_a_seed()
    {
        var x = Tensor.FromArray([1f, 2f]);
        x.RequiresGrad = true;
        var y = x * 2f;
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("(2,)", e.Message);
        y.Backward(Tensor.FromArray([1f, 10f]));
        TensorAssert.Close([2f, 20f], x.Grad!);
        Assert.Throws<ArgumentException>(() => y.Backward(Tensor.Ones([3])));
    }

    [Fact]
    public void Backward_on_a_constant_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Ops.Sum(Tensor.Ones([2])).Backward());
        Assert.Contains("RequiresGrad", e.Message);
    }

    [Fact]
    public void No_grad_scope_records_nothing_and_nests()
    {
        var x = Tensor.FromArray([1f]);
        x.RequiresGrad = true;
        using (GradMode.NoGrad())
        {
            using (GradMode.NoGrad()) Assert.False(GradMode.IsEnabled);
            Assert.False(GradMode.IsEnabled);
            var y = x * 2f;
            Assert.False(y.RequiresGrad);
            Assert.True(y.IsLeaf);
        }
        Assert.True(GradMode.IsEnabled);
        Assert.True((x * 2f).RequiresGrad);
    }

    [Fact]
    public void Detach_cuts_the_tape()
    {
        var x = Tensor.FromArray([2f]);
        x.RequiresGrad = true;
        var y = (x * x).Detach() * x;   // treated as 4 * x
        Ops.Sum(y).Backward();
        Assert.Equal(4f, x.Grad![0]);
    }

    [Fact]
    public void Deep_chains_do_not_overflow_the_stack()
    {
        var x = Tensor.FromArray([1f]);
        x.RequiresGrad = true;
        var y = x;
        for (int i = 0; i < 20_000; i++) y = y + 0f;
        Ops.Sum(y).Backward();
        Assert.Equal(1f, x.Grad![0]);
    }
}
