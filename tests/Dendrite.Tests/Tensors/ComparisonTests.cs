using Dendrite.Metrics;

namespace Dendrite.Tests.Tensors;

public class ComparisonTests
{
    private static readonly Tensor P = Tensor.FromArray([0.2f, 0.5f, 0.7f, 0.5000001f, -1f]);

    [Fact]
    public void Scalar_comparisons_give_0_1_float_tensors()
    {
        Assert.Equal([0f, 0f, 1f, 1f, 0f], (P > 0.5f).ToArray());
        Assert.Equal([0f, 1f, 1f, 1f, 0f], (P >= 0.5f).ToArray());
        Assert.Equal([1f, 0f, 0f, 0f, 1f], (P < 0.5f).ToArray());
        Assert.Equal([1f, 1f, 0f, 0f, 1f], (P <= 0.5f).ToArray());
        Assert.Equal([0f, 0f, 1f, 1f, 0f], (P > 0.5).ToArray());     // a double literal, as Python users write it
        Assert.Equal([1f, 1f, 0f, 0f, 1f], (0.5f >= P).ToArray());
        Assert.Equal([0f, 0f, 1f, 1f, 0f], (0.5 < P).ToArray());
        Assert.Equal([0f, 1f, 0f, 0f, 0f], P.Eq(0.5f).ToArray());
        Assert.Equal([1f, 0f, 1f, 1f, 1f], P.Ne(0.5f).ToArray());
        Assert.Equal(P.Shape, (P > 0).Shape);
    }

    [Fact]
    public void Tensor_comparisons_broadcast()
    {
        var a = Tensor.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var b = Tensor.FromArray([2f, 5f, 3f]);
        Assert.Equal(new float[,] { { 0, 0, 0 }, { 1, 0, 1 } }, (a > b).ToArray2D());
        Assert.Equal(new float[,] { { 0, 0, 1 }, { 1, 1, 1 } }, (a >= b).ToArray2D());
        Assert.Equal(new float[,] { { 1, 1, 0 }, { 0, 0, 0 } }, (a < b).ToArray2D());
        Assert.Equal(new float[,] { { 1, 1, 1 }, { 0, 1, 0 } }, (a <= b).ToArray2D());
        Assert.Equal(new float[,] { { 0, 0, 1 }, { 0, 1, 0 } }, a.Eq(b).ToArray2D());
        Assert.Equal(new float[,] { { 1, 1, 0 }, { 1, 0, 1 } }, a.Ne(b).ToArray2D());
        Assert.Equal(new float[,] { { 0, 0, 1 }, { 0, 1, 0 } }, Ops.Equal(a, b).ToArray2D());
        Assert.Equal(new float[,] { { 0, 1, 0 }, { 0, 0, 0 } }, Ops.Equal(a, 2f).ToArray2D());
    }

    [Fact]
    public void Equality_operators_keep_reference_semantics()
    {
        var a = Tensor.FromArray([1f, 2f]);
        var b = Tensor.FromArray([1f, 2f]);
#pragma warning disable CS1718 // comparison to the same variable is the point here
        Assert.True(a == a);
#pragma warning restore CS1718
        Assert.False(a == b);   // same values, different tensors: == is identity, Eq is elementwise
        Assert.Equal([1f, 1f], a.Eq(b).ToArray());
    }

    [Fact]
    public void Comparisons_carry_no_gradient()
    {
        var x = Tensor.FromArray([1f, -1f]);
        x.RequiresGrad = true;
        var y = x > 0f;
        Assert.False(y.RequiresGrad);
    }

    [Fact]
    public void ToInt32Array_truncates_like_numpy_astype_and_rejects_non_integers()
    {
        Assert.Equal([0, 1, 2, -1, -2, 3], Tensor.FromArray([0.9f, 1f, 2.5f, -1.5f, -2f, 3.99f]).ToInt32Array());
        Assert.Equal([0, 0, 1, 1, 0], (P > 0.5f).ToInt32Array());
        Assert.Equal(new[,] { { 1, 0 }, { 0, 7 } }, Tensor.FromArray(new float[,] { { 1, 0 }, { 0, 7.2f } }).ToInt32Array2D());
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.FromArray([1f, float.NaN]).ToInt32Array());
        Assert.Contains("element 1", e.Message);
        Assert.Throws<InvalidOperationException>(() => Tensor.FromArray([3e9f]).ToInt32Array());
        Assert.Throws<InvalidOperationException>(() => Tensor.FromArray([1f, 2f]).ToInt32Array2D());
    }

    [Fact]
    public void ToLabels_thresholds_one_column_and_takes_argmax_of_several()
    {
        Assert.Equal([0, 0, 1, 1, 0], P.ToLabels());
        Assert.Equal([0, 1, 1, 1, 0], P.ToLabels(threshold: 0.4));
        Assert.Equal([1, 0], Tensor.FromArray(new float[,] { { 0.6f }, { 0.1f } }).ToLabels());
        var multi = Tensor.FromArray(new float[,] { { 0.1f, 0.7f, 0.2f }, { 0.5f, 0.2f, 0.3f } });
        Assert.Equal([1, 0], multi.ToLabels());
        Assert.Equal([1, 0], Scores.Labels(multi));
    }
}
