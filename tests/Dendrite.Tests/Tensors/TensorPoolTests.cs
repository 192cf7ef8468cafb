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

    [Fact]
    public void The_last_buffer_given_back_is_taken_first_on_any_thread_and_at_most_64_are_kept()
    {
        const int length = 4099;   // a length no other test uses
        var given = Enumerable.Range(0, 70).Select(_ => new float[length]).ToArray();
        var giver = new Thread(() => { foreach (var g in given) TensorPool.Return(g); });
        giver.Start();
        giver.Join();
        // Given back on another thread, taken here: the last one kept first, then the ones before it.
        var taken = new List<float[]>();
        for (int i = 0; i < 70; i++) taken.Add(TensorPool.Rent(length, clear: false));
        for (int i = 0; i < 64; i++) Assert.Same(given[63 - i], taken[i]);
        // The 65th to 70th were not kept: new buffers.
        for (int i = 64; i < 70; i++) Assert.DoesNotContain(given, g => ReferenceEquals(g, taken[i]));   // by reference: xUnit compares arrays by their elements
        var cleared = given[0];
        cleared[5] = 3f;
        TensorPool.Return(cleared);
        Assert.Same(cleared, TensorPool.Rent(length, clear: true));
        Assert.All(cleared, v => Assert.Equal(0f, v));
    }
}
