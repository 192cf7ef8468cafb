using Dendrite.Layers;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Layers;

/// <summary>RepeatVector and Permute: hand-worked values, gradients, the harness and bad arguments.</summary>
public class ReshapingSequenceTests
{
    [Fact] public void RepeatVector_harness() => LayerHarness.Check(() => new RepeatVector(3), [[2]], [3, 2], 0);
    [Fact] public void Permute_harness() => LayerHarness.Check(() => new Permute([2, 1]), [[3, 2]], [2, 3], 0);
    [Fact] public void Permute_rank_3_harness() => LayerHarness.Check(() => new Permute([3, 1, 2]), [[2, 3, 4]], [4, 2, 3], 0);

    [Fact]
    public void RepeatVector_repeats_each_row_along_a_new_axis()
    {
        var x = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        var y = new RepeatVector(3).Call(x);
        TensorAssert.ShapeIs([2, 3, 2], y);
        TensorAssert.Close([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4], y, atol: 0);
    }

    [Fact]
    public void RepeatVector_gradient_sums_the_repeats() =>
        GradCheck.Check(t => new RepeatVector(4).Call(t[0]), [Tensor.RandomUniform([3, 2], -1f, 1f, seed: 3)], what: "RepeatVector");

    [Fact]
    public void Permute_matches_numpy_transpose()
    {
        // np.arange(24).reshape(1, 2, 3, 4).transpose(0, 3, 1, 2).ravel()
        float[] expected = [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23];
        var x = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), [1, 2, 3, 4]);
        var y = new Permute([3, 1, 2]).Call(x);
        TensorAssert.ShapeIs([1, 4, 2, 3], y);
        TensorAssert.Close(expected, y, atol: 0);
    }

    [Fact]
    public void Permute_gradient() =>
        GradCheck.Check(t => new Permute([2, 3, 1]).Call(t[0]), [Tensor.RandomUniform([2, 2, 3, 4], -1f, 1f, seed: 4)], what: "Permute");

    [Fact]
    public void Bad_arguments_name_the_layer_and_the_value()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepeatVector(0));
        var e = Assert.Throws<ArgumentException>(() => new Permute([0, 1], name: "perm"));
        Assert.Contains("perm", e.Message);
        Assert.Contains("(0, 1)", e.Message);
        Assert.Throws<ArgumentException>(() => new Permute([1, 1]));
        var r = Assert.Throws<ArgumentException>(() => new RepeatVector(2, name: "rep").Call(Tensor.Zeros([2, 3, 4])));
        Assert.Contains("rep", r.Message);
        Assert.Contains("(None, 3, 4)", r.Message);
        var p = Assert.Throws<ArgumentException>(() => new Permute([2, 1], name: "p2").Call(Tensor.Zeros([2, 3])));
        Assert.Contains("p2", p.Message);
    }

    [Fact]
    public void Configs_use_keras_keys()
    {
        Assert.Equal(3, (int)new RepeatVector(3).GetConfig()["n"]!);
        Assert.Equal("[2,1]", new Permute([2, 1]).GetConfig()["dims"]!.ToJsonString());
    }
}
