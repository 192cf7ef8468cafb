using Dendrite.Data;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Tensors;

[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public class TensorTests
{
    [Fact]
    public void Creation_from_every_array_rank()
    {
        TensorAssert.ShapeIs([2, 3], Tensor.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }));
        var t3 = Tensor.FromArray(new float[2, 3, 4]);
        TensorAssert.ShapeIs([2, 3, 4], t3);
        var t4 = Tensor.FromArray(new float[,,,] { { { { 1f, 2f } } } });
        TensorAssert.ShapeIs([1, 1, 1, 2], t4);
        TensorAssert.Close([1f, 2f], t4);
        var j = Tensor.FromArray([[1f, 2f], [3f, 4f], [5f, 6f]]);
        TensorAssert.ShapeIs([3, 2], j);
        Assert.Equal(4f, j[1, 1]);
        Assert.Equal(6f, j[-1, -1]);
        var f = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 3, 2);
        Assert.Equal(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, f.ToArray2D());
        var s = Tensor.FromSpan(new float[] { 7f, 8f }.AsSpan(), [2, 1]);
        TensorAssert.ShapeIs([2, 1], s);
        Assert.Throws<ArgumentException>(() => Tensor.FromArray([[1f], [2f, 3f]]));
        Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f, 3f], 2, 2));
    }

    [Fact]
    public void FromArray_copies_its_input()
    {
        var data = new[] { 1f, 2f };
        var t = Tensor.FromArray(data);
        data[0] = 99f;
        Assert.Equal(1f, t[0]);
    }

    [Fact]
    public void Round_trips_system_numerics_tensor()
    {
        var sys = System.Numerics.Tensors.Tensor.Create(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var t = Tensor.FromArray(sys);
        TensorAssert.ShapeIs([2, 3], t);
        Assert.Equal(6f, t[1, 2]);
        var back = t.ToSystemTensor();
        Assert.Equal(new nint[] { 2, 3 }, back.Lengths.ToArray());
        var flat = new float[6];
        back.FlattenTo(flat);
        Assert.Equal(t.ToArray(), flat);
    }

    [Fact]
    public void Factories_match_numpy()
    {
        TensorAssert.Close([0f, 0f, 0f], Tensor.Zeros([3]));
        TensorAssert.Close([1f, 1f], Tensor.Ones([1, 2]));
        TensorAssert.Close([7f, 7f], Tensor.Full([2], 7f));
        TensorAssert.Close([1f, 1.5f, 2f, 2.5f], Tensor.Arange(1f, 3f, 0.5f));
        TensorAssert.Close([0f, 1f, 2f], Tensor.Arange(3));
        TensorAssert.Close([1f, 3.25f, 5.5f, 7.75f, 10f], Tensor.Linspace(1f, 10f, 5));
        TensorAssert.Close([1f, 0f, 0f, 0f, 1f, 0f], Tensor.Eye(2, 3));
        Assert.Equal(Shape.Scalar, Tensor.Scalar(3f).Shape);
        Assert.Equal(3f, Tensor.Scalar(3f).Item());
    }

    [Fact]
    public void Seeded_random_is_reproducible_and_has_the_right_moments()
    {
        Assert.Equal(Tensor.RandomUniform([100], seed: 42).ToArray(), Tensor.RandomUniform([100], seed: 42).ToArray());
        Assert.NotEqual(Tensor.RandomUniform([100], seed: 42).ToArray(), Tensor.RandomUniform([100], seed: 43).ToArray());
        var u = Tensor.RandomUniform([100_000], -2f, 2f, seed: 1).ToArray();
        Assert.InRange(u.Min(), -2f, -1.99f);
        Assert.InRange(u.Max(), 1.99f, 2f);
        Assert.InRange(u.Average(), -0.02, 0.02);
        var n = Tensor.RandomNormal([100_000], 3f, 2f, seed: 2).ToArray();
        double mean = n.Average(), sd = Math.Sqrt(n.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, 2.97, 3.03);
        Assert.InRange(sd, 1.97, 2.03);
        var tn = Tensor.TruncatedNormal([100_000], 0f, 1f, seed: 3).ToArray();
        Assert.True(tn.All(v => Math.Abs(v) <= 2f));
        // Std of a standard normal truncated to +-2 is 0.8796.
        double tsd = Math.Sqrt(tn.Select(v => (double)v * v).Average());
        Assert.InRange(tsd, 0.87, 0.89);
        Utils.SetRandomSeed(7);
        var a = Tensor.RandomNormal([5]).ToArray();
        Utils.SetRandomSeed(7);
        Assert.Equal(a, Tensor.RandomNormal([5]).ToArray());
    }

    [Fact]
    public void ToString_prints_like_numpy()
    {
        Assert.Equal("[[1.  2.5]\n [3.  4. ]]", Tensor.FromArray(new float[,] { { 1f, 2.5f }, { 3f, 4f } }).ToString());
        Assert.Equal("[1. 2. 3.]", Tensor.FromArray([1f, 2f, 3f]).ToString());
        Assert.Equal("[[[0. 1.]]\n\n [[2. 3.]]]", Tensor.Arange(4).Reshape(2, 1, 2).ToString());
        Assert.Equal("[-1.5   0.25]", Tensor.FromArray([-1.5f, 0.25f]).ToString());
        Assert.Equal("[0.3        0.33333334]", Tensor.FromArray([0.3f, 1f / 3f]).ToString());
        Assert.Equal("[1.0e-05 1.5e+00]", Tensor.FromArray([1e-5f, 1.5f]).ToString());
        Assert.Equal("[  0.1 100. ]", Tensor.FromArray([0.1f, 100f]).ToString());
        Assert.Equal("[nan inf]", Tensor.FromArray([float.NaN, float.PositiveInfinity]).ToString());
        var big = Tensor.Arange(2000).ToString();
        Assert.StartsWith("[0.000e+00 1.000e+00 2.000e+00 ... ", big);
        Assert.EndsWith("1.998e+03 1.999e+03]", big);
    }

    [Fact]
    public void Shape_basics()
    {
        Shape s = [2, 3, 4];
        Assert.Equal(24, s.Size);
        Assert.Equal(4, s[^1]);
        Assert.Equal(4, s[-1]);
        Assert.Equal("(2, 3, 4)", s.ToString());
        Assert.Equal("(5,)", new Shape(5).ToString());
        Assert.Equal(new[] { 12, 4, 1 }, s.Strides());
        Assert.Equal(new Shape(2, 3), Shape.Broadcast([2, 1], [3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => s[3]);
        Assert.Throws<ArgumentException>(() => new Shape(-1));
    }

    [Fact]
    public void Indexer_rejects_bad_indices()
    {
        var t = Tensor.Zeros([2, 2]);
        Assert.Throws<IndexOutOfRangeException>(() => t[2, 0]);
        Assert.Throws<ArgumentException>(() => t[0]);
        t[1, 0] = 5f;
        Assert.Equal(5f, t.ToArray()[2]);
    }
}
