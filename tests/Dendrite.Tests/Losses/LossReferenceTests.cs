using Dendrite.Losses;
using Dendrite.Tests.Models;

namespace Dendrite.Tests.Losses;

/// <summary>Every loss against PyTorch or NumPy with Keras's formulas, plus gradients by finite differences.</summary>
public class LossReferenceTests
{
    public static TheoryData<int> Cases()
    {
        var d = new TheoryData<int>();
        for (int i = 0; i < KerasReferences.Losses().Length; i++) d.Add(i);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Loss_matches_reference(int index)
    {
        var c = KerasReferences.Losses()[index];
        var loss = c.Make();
        var value = loss.Call(Tensor.FromArray(c.YTrue, c.TShape), Tensor.FromArray(c.YPred, c.PShape)).Item();
        Assert.True(Math.Abs(value - c.Expected) <= 1e-5f + 1e-5f * Math.Abs(c.Expected), $"{c.Key}: {value} vs {c.Expected}");
    }

    [Theory, MemberData(nameof(Cases))]
    public void Loss_gradient_matches_finite_differences(int index)
    {
        var c = KerasReferences.Losses()[index];
        if (c.Key is "hinge" or "mae" or "mape") return; // kinked at the reference points by construction
        var loss = c.Make();
        var yTrue = Tensor.FromArray(c.YTrue, c.TShape);
        var yPred = Tensor.FromArray(c.YPred, c.PShape);
        if (c.Key == "msle") yPred = yPred + 0.5f;   // the reference has a prediction of 0, where max(y_pred, eps) kinks
        TestKit.GradCheck.Check(t => loss.Call(yTrue, t[0]), [yPred], what: c.Key);
    }

    [Fact]
    public void Sample_weights_scale_each_sample_and_divide_by_the_count()
    {
        var yt = Tensor.FromArray([0f, 0f, 0f], 3, 1);
        var yp = Tensor.FromArray([1f, 2f, 3f], 3, 1);
        var w = Tensor.FromArray([1f, 0f, 2f]);
        Assert.Equal((1f * 1 + 0f * 4 + 2f * 9) / 3f, new MeanSquaredError().Call(yt, yp, w).Item(), 6);
    }

    [Fact]
    public void Softmax_output_uses_the_fused_stable_path()
    {
        var logits = Tensor.FromArray([1000f, 0f, -1000f], 1, 3);
        var probs = Ops.Softmax(logits);
        var loss = new CategoricalCrossentropy().Call(Tensor.FromArray([0f, 1f, 0f], 1, 3), probs).Item();
        Assert.Equal(1000f, loss, 2);   // clipped probabilities would cap it at 16.1
    }

    [Fact]
    public void Mismatched_shapes_and_unknown_names_are_clear_errors()
    {
        var e = Assert.Throws<ArgumentException>(() => new CategoricalCrossentropy().Call(Tensor.Zeros([2, 3]), Tensor.Zeros([2, 4])));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(2, 4)", e.Message);
        var u = Assert.Throws<ArgumentException>(() => Loss.Get("mean_sqared_error"));
        Assert.Contains("mean_sqared_error", u.Message);
        Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Call(Tensor.FromArray([3f]), Tensor.Zeros([1, 3])));
    }
}
