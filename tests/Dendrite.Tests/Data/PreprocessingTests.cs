using Dendrite.Data;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Data;

public class PreprocessingTests
{
    [Fact]
    public void To_categorical_matches_keras()
    {
        TensorAssert.Close([0f, 1f, 0f, 0f, 0f, 0f, 0f, 1f], Utils.ToCategorical([1, 3], 4));
        Assert.Equal(new Shape(3, 3), Utils.ToCategorical(Tensor.FromArray([0f, 2f, 1f])).Shape);
        Assert.Throws<ArgumentException>(() => Utils.ToCategorical(Tensor.FromArray([0.5f])));
    }

    [Fact]
    public void Standard_scaler_matches_scikit_learn_by_hand()
    {
        var x = Tensor.FromArray(new float[,] { { 1, 10 }, { 2, 10 }, { 3, 10 }, { 6, 10 } });
        var s = new StandardScaler();
        var z = s.FitTransform(x);
        // mean 3, population std sqrt(3.5); constant column: scale 1 (scikit-learn keeps it at 0).
        TensorAssert.Close([3f, 10f], s.Mean);
        TensorAssert.Close([MathF.Sqrt(3.5f), 1f], s.Scale, rtol: 1e-6f);
        TensorAssert.Close([-2f / MathF.Sqrt(3.5f), 0f, -1f / MathF.Sqrt(3.5f), 0f, 0f, 0f, 3f / MathF.Sqrt(3.5f), 0f], z, atol: 1e-6f);
        TensorAssert.Close(x, s.InverseTransform(z), atol: 1e-5f);
        Assert.Throws<ArgumentException>(() => s.Transform(Tensor.Zeros([2, 3])));
    }

    [Fact]
    public void Min_max_scaler_maps_ranges_and_back()
    {
        var x = Tensor.FromArray(new float[,] { { 1, -5 }, { 3, 5 }, { 2, 0 } });
        var s = new MinMaxScaler(-1f, 1f);
        var z = s.FitTransform(x);
        TensorAssert.Close([-1f, -1f, 1f, 1f, 0f, 0f], z, atol: 1e-6f);
        TensorAssert.Close(x, s.InverseTransform(z), atol: 1e-6f);
    }

    [Fact]
    public void One_hot_encoder_learns_sorted_categories_and_ignores_unknown()
    {
        var enc = new OneHotEncoder().Fit([["b", "x"], ["a", "y"], ["b", "y"]]);
        Assert.Equal(new[] { "a", "b" }, enc.Categories[0]);
        TensorAssert.Close([0f, 1f, 0f, 1f, 0f, 0f, 1f, 0f], enc.Transform([["b", "y"], ["zzz", "x"]]));
    }

    [Fact]
    public void Train_test_split_is_seeded_complete_and_stratified()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i < 80 ? 0 : 1).ToArray();
        var (tr, te) = Utils.TrainTestSplit(100, 0.25, seed: 3, stratify: labels);
        Assert.Equal(100, tr.Length + te.Length);
        Assert.Equal(Enumerable.Range(0, 100), tr.Concat(te).Order());
        Assert.Equal(5, te.Count(i => labels[i] == 1));    // 25% of the 20 ones
        Assert.Equal(20, te.Count(i => labels[i] == 0));   // 25% of the 80 zeros
        Assert.Equal(te, Utils.TrainTestSplit(100, 0.25, seed: 3, stratify: labels).Test);
        Assert.NotEqual(te, Utils.TrainTestSplit(100, 0.25, seed: 4, stratify: labels).Test);
        var x = Tensor.Arange(20).Reshape(10, 2);
        var y = Tensor.Arange(10).Reshape(10, 1);
        var ((xtr, ytr), (xte, yte)) = Utils.TrainTestSplit(x, y, testSize: 0.3, seed: 1);
        Assert.Equal(7, xtr.Shape[0]);
        Assert.Equal(3, yte.Shape[0]);
        Assert.Equal(xte[0, 0], yte[0, 0] * 2);   // rows stay paired
    }
}
