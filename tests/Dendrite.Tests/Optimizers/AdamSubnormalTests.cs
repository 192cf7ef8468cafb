using Dendrite.Optimizers;

namespace Dendrite.Tests.Optimizers;

/// <summary>Adam's slots never hold subnormal floats (as under TensorFlow's flush-to-zero), while normal values follow
/// Keras's formulas exactly.</summary>
public class AdamSubnormalTests
{
    [Fact]
    public void A_zero_gradient_decays_m_to_exactly_zero_and_tiny_squares_add_nothing_to_v()
    {
        // 37 elements: two 16-wide vectors and a scalar tail (or four 8-wide ones), so every code path is checked.
        const int n = 37;
        var w = Tensor.FromArray(Enumerable.Range(0, n).Select(i => 0.01f * (i + 1)).ToArray());
        w.RequiresGrad = true;
        var opt = new Adam(learningRate: 1e-3, epsilon: 1e-7);
        // Step 1: half the elements get a normal gradient, the rest one whose square is subnormal (1e-20^2 = 1e-40).
        var g = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 0.5f : 1e-20f).ToArray();
        w.Grad = Tensor.FromArray(g);
        opt.Apply([w]);
        var slots = opt.SlotsOf(w);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal((0f + (g[i] - 0f) * (1 - 0.9f)), slots[0][i]);
            Assert.Equal(i % 2 == 0 ? (0.5f * 0.5f) * (1 - 0.999f) : 0f, slots[1][i]);
        }
        // Then zero gradients: m shrinks by 0.9 a step; without the flush it would sink into the subnormal range and
        // stay there (0.1 m rounds to zero below 5 ulps), as the reference loop below shows.
        w.Grad = Tensor.FromArray(new float[n]);
        float reference = slots[0][0];
        bool referenceWentSubnormal = false;
        for (int step = 0; step < 1000; step++)
        {
            opt.Apply([w]);
            reference += (0f - reference) * (1 - 0.9f);
            referenceWentSubnormal |= float.IsSubnormal(reference);
            foreach (var slot in slots)
                foreach (var value in slot) Assert.False(float.IsSubnormal(value), $"step {step}: subnormal slot value {value:R}");
        }
        Assert.True(referenceWentSubnormal);
        Assert.True(float.IsSubnormal(reference));
        Assert.All(slots[0], m => Assert.Equal(0f, m));
        Assert.All(w.ToArray(), v => Assert.True(float.IsFinite(v)));
    }
}
