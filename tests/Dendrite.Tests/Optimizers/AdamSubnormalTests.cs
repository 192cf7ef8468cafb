using Dendrite.Optimizers;

namespace Dendrite.Tests.Optimizers;

/// <summary>The optimizers' slots (Adam, momentum SGD, RMSprop, Nadam) never hold subnormal floats, nor values whose next
/// step computes one (as TensorFlow's flush-to-zero never does), while normal values follow Keras's formulas exactly.</summary>
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

    private const float MinNormal = 1.17549435e-38f;

    [Fact]
    public void Slot_values_whose_next_product_would_be_subnormal_are_stored_as_zero_and_normal_ones_follow_the_formula()
    {
        // A product with a subnormal result runs several times slower (W2's dead units: Adam at 0.6 ns per element
        // against 0.19), so m is kept only from where 0.1 m and alpha m are normal, and v from where 0.001 v is.
        // Kinds of element, in each vector and in the scalar tail (37 elements), all with g = 0:
        //   0: m = 5e-38 (0.1 m subnormal): stored as zero, w unchanged;
        //   1: m = 1e-30, v = 1e-20, w = 1e-25: every result normal, the formula exactly;
        //   2: m = 1e-36, v = 1e-30, w = 1e-30: alpha m would be subnormal: m stored as zero and w unchanged, where the
        //      formula would move w;
        //   3: m = 1e-30, v = 1e-36, w = 1e-25: 0.001 v would be subnormal: v stored as zero, m and w by the formula.
        const int n = 37;
        const double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        var w = Tensor.Zeros([n]);
        w.RequiresGrad = true;
        var opt = new Adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps);
        w.Grad = Tensor.Zeros([n]);
        opt.Apply([w]);   // creates the slots (all zero: nothing moves)
        var slots = opt.SlotsOf(w);
        float[] m0 = [5e-38f, 1e-30f, 1e-36f, 1e-30f], v0 = [0f, 1e-20f, 1e-30f, 1e-36f], w0 = [0.5f, 1e-25f, 1e-30f, 1e-25f];
        var data = w.ToArray();
        for (int i = 0; i < n; i++) (slots[0][i], slots[1][i], data[i]) = (m0[i % 4], v0[i % 4], w0[i % 4]);
        data.CopyTo(w.AsSpan());
        w.Grad = Tensor.Zeros([n]);
        opt.Apply([w]);
        float alpha = (float)(lr * Math.Sqrt(1 - Math.Pow(b2, 2)) / (1 - Math.Pow(b1, 2)));
        float c1 = 1 - (float)b1, c2 = 1 - (float)b2;
        float m1 = m0[1] + (0f - m0[1]) * c1, v1 = v0[1] + (0f - v0[1]) * c2;
        float w1 = w0[1] - alpha * m1 / (MathF.Sqrt(v1) + (float)eps);
        float m2 = m0[2] + (0f - m0[2]) * c1, v2 = v0[2] + (0f - v0[2]) * c2;
        Assert.True(float.IsSubnormal(alpha * m2) && w0[2] - alpha * m2 / (MathF.Sqrt(v2) + (float)eps) != w0[2], "case 2 must matter");
        float w3 = w0[3] - alpha * m1 / (0f + (float)eps);
        Assert.True(float.IsSubnormal(v0[3] * c2), "case 3 must matter");
        var after = w.ToArray();
        for (int i = 0; i < n; i++)
        {
            var (m, v, x) = (i % 4) switch
            {
                0 => (0f, 0f, w0[0]),
                1 => (m1, v1, w1),
                2 => (0f, v2, w0[2]),
                _ => (m1, 0f, w3),
            };
            Assert.Equal(m, slots[0][i]);
            Assert.Equal(v, slots[1][i]);
            Assert.Equal(x, after[i]);
        }
    }

    [Fact]
    public void A_warm_up_from_a_zero_rate_keeps_m()
    {
        // The threshold for alpha m counts alpha from 1e-8 up: a first step at rate zero still accumulates m.
        var w = Tensor.Full([20], 0.5f);
        w.RequiresGrad = true;
        var opt = new Adam(learningRate: 1e-3);
        opt.LearningRate = 0;
        w.Grad = Tensor.Full([20], 0.25f);
        opt.Apply([w]);
        Assert.All(opt.SlotsOf(w)[0], m => Assert.Equal(0f + (0.25f - 0f) * (1 - 0.9f), m));
        Assert.All(w.ToArray(), v => Assert.Equal(0.5f, v));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sgd_momentum_never_holds_a_subnormal_and_follows_the_formula_while_normal(bool nesterov)
    {
        const int n = 37;
        var w = Tensor.Full([n], 0.25f);
        w.RequiresGrad = true;
        var opt = new SGD(learningRate: 0.01, momentum: 0.9, nesterov: nesterov);
        w.Grad = Tensor.Full([n], 0.5f);
        opt.Apply([w]);
        var m = opt.SlotsOf(w)[0];
        float expectedM = 0.9f * 0f - 0.01f * 0.5f;
        Assert.All(m, v => Assert.Equal(expectedM, v));
        Assert.All(w.ToArray(), v => Assert.Equal(0.25f + (nesterov ? 0.9f * expectedM - 0.01f * 0.5f : expectedM), v));
        // Zero gradients: m shrinks by 0.9 a step; unflushed it would end at the smallest subnormal (0.9 of it rounds
        // back up), and every later step would compute on it.
        w.Grad = Tensor.Zeros([n]);
        float reference = expectedM;
        for (int step = 0; step < 2000; step++)
        {
            opt.Apply([w]);
            reference *= 0.9f;
            Assert.All(m, v => Assert.False(float.IsSubnormal(v), $"step {step}: subnormal m {v:R}"));
        }
        Assert.True(float.IsSubnormal(reference) && reference != 0f);
        Assert.All(m, v => Assert.Equal(0f, v));
        Assert.All(w.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    public static TheoryData<string> ScalarOptimizers() => new() { "rmsprop", "rmsprop_centered_momentum", "nadam" };

    [Theory, MemberData(nameof(ScalarOptimizers))]
    public void Rmsprop_and_nadam_slots_never_hold_a_subnormal_and_decay_to_zero(string which)
    {
        // One step with a gradient, then zeros (a dead unit) for 1500 steps: RMSprop's v (and its momentum and mean)
        // shrink by rho a step, Nadam's m by beta1; unflushed they end at the smallest subnormal, where rounding keeps them.
        const int n = 37;
        var w = Tensor.Full([n], 0.25f);
        w.RequiresGrad = true;
        Optimizer opt = which switch
        {
            "rmsprop" => new RMSprop(learningRate: 1e-3),
            "rmsprop_centered_momentum" => new RMSprop(learningRate: 1e-3, momentum: 0.9, centered: true),
            _ => new Nadam(learningRate: 1e-3),
        };
        w.Grad = Tensor.Full([n], 0.5f);
        opt.Apply([w]);
        var slots = opt.SlotsOf(w);
        float[] first = slots.Select(sl => sl[0]).ToArray();
        w.Grad = Tensor.Zeros([n]);
        float reference = 0.5f;
        for (int step = 0; step < 1500; step++)
        {
            opt.Apply([w]);
            reference *= 0.9f;
            foreach (var slot in slots)
                Assert.All(slot, v => Assert.False(float.IsSubnormal(v), $"{which} step {step}: subnormal slot value {v:R}"));
        }
        Assert.True(float.IsSubnormal(reference) && reference != 0f);
        // The slots that shrink by 0.9 a step (RMSprop's all, Nadam's m) reached zero; Nadam's v (0.999 a step) is still normal.
        for (int k = 0; k < slots.Length; k++)
        {
            if (first[k] == 0f) continue;
            if (which == "nadam" && k == 1) Assert.All(slots[k], v => Assert.True(v > 1e-20f, $"v {v:R}"));
            else Assert.All(slots[k], v => Assert.Equal(0f, v));
        }
        Assert.All(w.ToArray(), v => Assert.True(float.IsFinite(v)));
    }
}
