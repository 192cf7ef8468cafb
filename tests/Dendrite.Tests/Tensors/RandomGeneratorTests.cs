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
    // From 2,048 values on the first 16 n draws are drawn as 16 stretches side by side (XoshiroJump): the shortest,
    // one with a tail after the stretches, W7's 64x256 mask, one whose stretch is not a power of two, and a long one.
    [InlineData(0.8f, 1.25f, 2048)]
    [InlineData(0.5f, 2f, 2048 + 15)]
    [InlineData(0.8f, 1.25f, 16384)]
    [InlineData(0.7f, 1f, 12288 + 37)]
    [InlineData(0.8f, 1.25f, 100003)]
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

    [Theory]
    [InlineData(1L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(2048L)]
    [InlineData(123457L)]
    public void A_jump_by_x_to_the_n_mod_p_lands_where_n_steps_do(long n)
    {
        var p = XoshiroJump.CharacteristicPolynomial;
        Assert.NotNull(p);
        var q = XoshiroJump.PowerOfX(n, p!);
        ulong s0 = 1, s1 = 2, s2 = 3, s3 = 0xDEADBEEF;
        // q(T) s: the XOR of T^i s over the bits i of q.
        ulong a0 = s0, a1 = s1, a2 = s2, a3 = s3, j0 = 0, j1 = 0, j2 = 0, j3 = 0;
        for (int i = 0; i < 256; i++)
        {
            if (XoshiroJump.Bit(q, i)) { j0 ^= a0; j1 ^= a1; j2 ^= a2; j3 ^= a3; }
            RandomGenerator.Step(ref a0, ref a1, ref a2, ref a3);
        }
        for (long k = 0; k < n; k++) RandomGenerator.Step(ref s0, ref s1, ref s2, ref s3);
        Assert.Equal((s0, s1, s2, s3), (j0, j1, j2, j3));
    }

    [Fact]
    public void Powers_of_x_multiply_mod_the_characteristic_polynomial()
    {
        var p = XoshiroJump.CharacteristicPolynomial!;
        Assert.Equal(new ulong[] { 2, 0, 0, 0 }, XoshiroJump.PowerOfX(1, p));
        Assert.Equal(p, XoshiroJump.PowerOfX(256, p));   // x^256 = p's terms below x^256
        Assert.Equal(XoshiroJump.PowerOfX(1000 + 777, p), XoshiroJump.MulMod(XoshiroJump.PowerOfX(1000, p), XoshiroJump.PowerOfX(777, p), p));
    }
}
