namespace Dendrite.Tests.Tensors;

public class TensorPoolTests
{
    [Fact]
    public void Repeating_ops_in_scopes_reuses_buffers_instead_of_allocating()
    {
        var a = Tensor.RandomUniform([256, 256], seed: 1);
        var b = Tensor.RandomUniform([256, 256], seed: 2);
        void Step()
        {
            using var scope = TensorScope.Begin();
            var y = Ops.Relu(Ops.MatMul(a, b) + a) * 0.5f;
            Assert.True(y.Size > 0);
        }
        for (int i = 0; i < 5; i++) Step();   // warm the pool and the JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 20;
        // Each step makes three 256 KB intermediates; pooled, only small bookkeeping objects are allocated.
        Assert.True(perStep < 16 * 1024, $"allocated {perStep} bytes per step");
    }

    [Fact]
    public void Tensors_created_outside_a_scope_are_never_recycled()
    {
        var keep = Tensor.Ones([1024]);
        using (TensorScope.Begin())
        {
            var tmp = keep * 2f;
            Assert.Equal(2f, tmp[0]);
        }
        using (TensorScope.Begin())
        {
            var other = Tensor.Zeros([1024]) + 5f;
            Assert.Equal(5f, other[0]);
        }
        Assert.All(keep.ToArray(), v => Assert.Equal(1f, v));
    }
}
