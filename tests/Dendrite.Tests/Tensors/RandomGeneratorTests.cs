namespace Dendrite.Tests.Tensors;

/// <summary><see cref="RandomGenerator.FillBernoulli"/> (dropout masks) draws what a loop over NextFloat draws.</summary>
public class RandomGeneratorTests
{
    [Theory]
    [InlineData(0.8f, 1.25f, 1000)]
    [InlineData(0.5f, 2f, 17)]
    [InlineData(0f, 1f, 64)]
    [InlineData(1f, 1f, 33)]
    [InlineData(0.9f, 1.1111112f, 16)]
    public void A_filled_mask_equals_a_loop_over_NextFloat_and_leaves_the_same_state(float keep, float value, int length)
    {
        var filled = new RandomGenerator(42);
        var looped = new RandomGenerator(42);
        filled.NextFloat();   // not at the seed's first draw
        looped.NextFloat();
        var m = new float[length];
        filled.FillBernoulli(m, keep, value);
        var expected = new float[length];
        for (int i = 0; i < length; i++) expected[i] = looped.NextFloat() < keep ? value : 0f;
        Assert.Equal(expected, m);
        Assert.Equal(looped.NextUInt64(), filled.NextUInt64());
        if (keep > 0f && length >= 1000)
        {
            // About keep of the entries are kept (1000 draws: within 5 standard deviations).
            double kept = m.Count(v => v == value) / (double)length;
            Assert.InRange(kept, keep - 0.07, keep + 0.07);
        }
    }
}
