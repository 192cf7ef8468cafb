namespace Dendrite.Tests.Backends;

/// <summary>
/// Row gathering (a training step's batch from its data): every requested row, in the requested order, repeated rows
/// included, for short rows (whose next row is prefetched), long ones, a batch small enough for one thread and one
/// split between threads; a row outside the data is refused by name.
/// </summary>
public class GatherRowsTests
{
    [Theory]
    [InlineData(784, 64)]     // W2's rows: prefetched, split between threads
    [InlineData(1024, 3)]     // the longest prefetched rows, one thread
    [InlineData(1025, 40)]    // just past it: copied as they come
    [InlineData(3072, 32)]    // W1's rows
    [InlineData(1, 5)]
    [InlineData(7, 0)]
    public void Every_requested_row_is_copied_in_order(int width, int count)
    {
        const int n = 300;
        var values = new float[n * width];
        for (int i = 0; i < values.Length; i++) values[i] = i * 0.5f - 7f;
        var x = Tensor.FromArray(values, n, width);
        var rng = new Random(width * 31 + count);
        int[] rows = Enumerable.Range(0, count).Select(_ => rng.Next(n)).ToArray();
        if (count > 2) rows[1] = rows[0];   // a row asked twice
        var y = Tensor.Full([count, width], float.NaN);

        Ops.Direct.GatherRows(x, rows, y);

        var expected = new float[count * width];
        for (int j = 0; j < count; j++) Array.Copy(values, rows[j] * width, expected, j * width, width);
        Assert.Equal(expected, y.ToArray());
    }

    [Fact]
    public void A_row_outside_the_data_is_refused()
    {
        var x = Tensor.Zeros([10, 784]);
        var y = Tensor.Zeros([2, 784]);
        var e = Assert.Throws<IndexOutOfRangeException>(() => Ops.Direct.GatherRows(x, [3, 10], y));
        Assert.Contains("row 10 is outside 0..9", e.Message);
    }
}
