using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Training;

namespace Dendrite.Tests.Training;

/// <summary><see cref="DataSet.AllFinite"/>, which splits arrays of 4 MB and more into 1 MB chunks that the worker pool's
/// threads claim: a NaN or infinity is found in every chunk, on either side of a chunk's edge, the remainder past the
/// last whole chunk included, and Fit names it.</summary>
public class DataSetFiniteTests
{
    [Theory]
    [InlineData(1 << 20)]               // the smallest split array: four chunks
    [InlineData((1 << 21) + 4096 + 13)] // a remainder past the last chunk (and past the last 4096-float block)
    public void A_bad_value_in_any_part_of_a_split_array_is_found(int n)
    {
        var x = Tensor.Full([n], 0.5f);
        Assert.True(DataSet.AllFinite(x));
        const int chunk = DataSet.FiniteJob.Chunk;
        foreach (int at in new[] { 0, 4095, 4096, chunk - 1, chunk, 3 * chunk - 1, 3 * chunk, n / 2 - 1, n / 2, n / 2 + 1,
                     n / chunk * chunk - 1, n - 4096, n - 14, n - 1 })
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                x.AsSpan()[at] = bad;
                Assert.False(DataSet.AllFinite(x), $"n={n}: {bad} at {at} not seen");
                x.AsSpan()[at] = 0.5f;
            }
        Assert.True(DataSet.AllFinite(x));
    }

    [Fact]
    public void A_clean_array_is_not_scanned_again_until_something_writes_to_it()
    {
        var x = Tensor.Full([256, 8], 0.25f);
        var y = Tensor.Zeros([256, 1]);
        var model = new Sequential([new Input(shape: [8]), new Dense(1)]);
        model.Compile(optimizer: "sgd", loss: "mse");
        Assert.False(x.KnownFinite);
        model.Fit(x, y, epochs: 1, verbose: 0);
        Assert.True(x.KnownFinite);   // the next Fit takes it as checked
        Assert.True(y.KnownFinite);
        model.Fit(x, y, epochs: 1, verbose: 0, validationSplit: 0.25);
        x.AsSpan()[100 * 8 + 3] = float.NaN;   // a write through the span
        Assert.False(x.KnownFinite);
        var e = Assert.Throws<ArgumentException>(() => { model.Fit(x, y, epochs: 1, verbose: 0); });
        Assert.Contains("x contains NaN at sample 100", e.Message);
        x[100, 3] = 1f;
        model.Fit(x, y, epochs: 1, verbose: 0);
        x[7, 0] = float.PositiveInfinity;      // a write through the indexer
        e = Assert.Throws<ArgumentException>(() => { model.Evaluate(x, y, verbose: 0); });
        Assert.Contains("x contains an infinite value at sample 7", e.Message);
        x[7, 0] = 0f;
        model.Fit(x, y, epochs: 1, verbose: 0);
        x.Reshape(2048).AsSpan()[9] = float.NaN;   // a write through a view of the same buffer
        e = Assert.Throws<ArgumentException>(() => { model.Fit(x, y, epochs: 1, verbose: 0); });
        Assert.Contains("x contains NaN at sample 1", e.Message);
    }

    [Fact]
    public void Values_the_library_draws_or_converts_from_integers_are_taken_as_finite_until_written()
    {
        // Finite by construction: no scan at Fit.
        Assert.True(Tensor.RandomUniform([64, 8], seed: 1).KnownFinite);
        Assert.True(Tensor.RandomNormal([64, 8], 0f, 2f, seed: 1).KnownFinite);
        Assert.True(Tensor.TruncatedNormal([64, 8], 1f, 0.5f, seed: 1).KnownFinite);
        Assert.True(Ops.OneHot([0, 3, 1], 4).KnownFinite);
        Assert.True(Tensor.FromArray(new byte[] { 0, 255 }).KnownFinite);
        Assert.True(Tensor.FromArray(new[] { int.MinValue, int.MaxValue }).KnownFinite);
        Assert.True(Tensor.FromArray(new[] { long.MinValue, long.MaxValue }).KnownFinite);
        // Not: bounds or spreads that can overflow, doubles (NaN, or beyond float's range), fills and zeros (scratch).
        Assert.False(Tensor.RandomUniform([4], -3e38f, 3e38f, seed: 1).KnownFinite);   // the range overflows
        Assert.False(Tensor.RandomNormal([4], 0f, 1e38f, seed: 1).KnownFinite);
        Assert.False(Tensor.RandomUniform([4], float.NegativeInfinity, 0f, seed: 1).KnownFinite);
        Assert.False(Tensor.FromArray(new[] { 1e300, 0.5 }).KnownFinite);
        Assert.False(Tensor.Full([4], 0.5f).KnownFinite);
        // A write through the span is seen as before.
        var x = Tensor.RandomUniform([256, 8], seed: 2);
        var y = Tensor.FromArray(new int[256], 256, 1);
        var model = new Sequential([new Input(shape: [8]), new Dense(1)]);
        model.Compile(optimizer: "sgd", loss: "mse");
        model.Fit(x, y, epochs: 1, verbose: 0);
        x.AsSpan()[5 * 8] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => { model.Fit(x, y, epochs: 1, verbose: 0); });
        Assert.Contains("x contains NaN at sample 5", e.Message);
    }

    [Fact]
    public void Fit_names_the_sample_of_a_NaN_in_the_second_half_of_large_data()
    {
        var x = Tensor.Full([4096, 512], 0.25f);   // 8 MB: checked in parts
        var y = Tensor.Zeros([4096, 1]);
        x.AsSpan()[3000 * 512 + 7] = float.NaN;
        var model = new Sequential([new Input(shape: [512]), new Dense(1)]);
        model.Compile(optimizer: "sgd", loss: "mse");
        var e = Assert.Throws<ArgumentException>(() => { model.Fit(x, y, epochs: 1, verbose: 0); });
        Assert.Contains("x contains NaN at sample 3000", e.Message);
    }
}
