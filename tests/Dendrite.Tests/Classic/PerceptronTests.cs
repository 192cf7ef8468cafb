using Dendrite.Classic;
using Dendrite.Datasets;

namespace Dendrite.Tests.Classic;

public class PerceptronTests
{
    private static (Tensor X, int[] Y) IrisPetalsSetosa()
    {
        var (x, y) = Iris.Load();
        return (Ops.Slice(x, 1, 2, 2), y.Select(v => v == 0 ? 1 : 0).ToArray());
    }

    [Fact]
    public void Iris_setosa_vs_rest_on_petals_seed_002()
    {
        var (x, y) = IrisPetalsSetosa();
        var p = new Perceptron(randomState: 42).Fit(x, y);
        Assert.Equal(1.0, p.Score(x, y));
        Assert.Equal(new[] { 1 }, p.Predict(new float[,] { { 2f, 0.5f } }));
        Assert.Equal(new[] { 0, 1 }, p.Classes);
        Assert.Equal(1, p.Coef.GetLength(0));
        Assert.True(p.Coef[0, 0] < 0 && p.Coef[0, 1] < 0 && p.Intercept[0] > 0);   // scikit-learn: [-1.4, -2.2], 4.0
        Assert.True(p.Converged);
        Assert.InRange(p.NIter, 6, 100);
    }

    [Fact]
    public void Multiclass_one_vs_all_matches_scikit_learns_average()
    {
        var (x, y) = Iris.Load();
        var accs = Enumerable.Range(0, 10).Select(rs => new Perceptron(maxIter: 1000, tol: 1e-3, randomState: rs).Fit(x, y).Score(x, y)).ToList();
        // scikit-learn 1.2 averages 0.743 over randomState 0..9 (single seeds 0.48 to 0.97).
        Assert.InRange(accs.Average(), 0.743 - 0.08, 0.743 + 0.08);
        var p = new Perceptron(randomState: 0).Fit(x, y);
        Assert.Equal(3, p.Coef.GetLength(0));
        Assert.Equal(new Shape(150, 3).Size, p.DecisionFunction(x).Length);
    }

    [Fact]
    public void Learns_and_or_but_not_xor()
    {
        var x = new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
        Assert.Equal(1.0, new Perceptron().Fit(x, [0, 0, 0, 1]).Score(x, [0, 0, 0, 1]));
        Assert.Equal(1.0, new Perceptron().Fit(x, [0, 1, 1, 1]).Score(x, [0, 1, 1, 1]));
        Assert.True(new Perceptron().Fit(x, [0, 1, 1, 0]).Score(x, [0, 1, 1, 0]) < 1.0);
    }

    [Fact]
    public void The_first_update_follows_the_perceptron_rule_by_hand()
    {
        // No shuffle, one epoch: w starts at 0; sample 1 (y=+1, p=0 -> z=0 <= 0) updates w += x, b += 1;
        // sample 2 (y=-1): p = 1*1 + 2*0 + 1 = 2 > 0, misclassified -> w -= x2, b -= 1.
        var x = new float[,] { { 1, 2 }, { 1, 0 } };
        var p = new Perceptron(shuffle: false, maxIter: 1, tol: null).Fit(x, [1, 0]);
        Assert.Equal(new double[,] { { 0, 2 } }, p.Coef);
        Assert.Equal(new[] { 0.0 }, p.Intercept);
    }

    [Fact]
    public void Labels_of_any_values_penalties_partial_fit_and_warm_start()
    {
        var (x, y01) = IrisPetalsSetosa();
        int[] y = y01.Select(v => v == 1 ? 7 : -3).ToArray();
        var p = new Perceptron(randomState: 1).Fit(x, y);
        Assert.Equal(new[] { -3, 7 }, p.Classes);
        Assert.Equal(1.0, p.Score(x, y));
        foreach (var pen in new[] { "l1", "l2", "elasticnet" })
            Assert.True(new Perceptron(penalty: pen, alpha: 1e-4, randomState: 1).Fit(x, y).Score(x, y) >= 0.95, pen);
        var strong = new Perceptron(penalty: "l1", alpha: 0.5, randomState: 1).Fit(x, y);
        Assert.True(Math.Abs(strong.Coef[0, 0]) + Math.Abs(strong.Coef[0, 1]) < Math.Abs(p.Coef[0, 0]) + Math.Abs(p.Coef[0, 1]));
        var inc = new Perceptron(randomState: 1);
        for (int e = 0; e < 10; e++) inc.PartialFit(x, y, classes: [-3, 7]);
        Assert.Equal(1.0, inc.Score(x, y));
        Assert.Equal(10, inc.NIter);
        var (ix, iy) = Iris.Load();   // not separable in one epoch: a second warm epoch keeps updating
        var warm = new Perceptron(warmStart: true, maxIter: 1, tol: null, randomState: 1).Fit(ix, iy);
        var first = warm.Coef;
        warm.Fit(ix, iy);
        Assert.NotEqual(first, warm.Coef);
        var cold = new Perceptron(maxIter: 1, tol: null, randomState: 1).Fit(ix, iy);
        Assert.Equal(first, cold.Coef);
        cold.Fit(ix, iy);
        Assert.Equal(first, cold.Coef);   // without warm start, Fit starts over
        Assert.Throws<ArgumentException>(() => new Perceptron().PartialFit(x, y));
    }

    [Fact]
    public void Early_stopping_and_class_weight()
    {
        var (x, y) = Iris.Load();
        var p = new Perceptron(earlyStopping: true, validationFraction: 0.2, nIterNoChange: 3, randomState: 0).Fit(x, y);
        Assert.True(p.NIter < 1000);
        Assert.True(p.Score(x, y) > 0.4);
        var (xs, ys) = IrisPetalsSetosa();
        var heavy = new Perceptron(classWeight: new Dictionary<int, double> { [1] = 10.0 }, randomState: 0).Fit(xs, ys);
        Assert.Equal(1.0, heavy.Score(xs, ys));
    }

    [Fact]
    public void Bad_input_is_refused_clearly()
    {
        Assert.Throws<ArgumentException>(() => new Perceptron(penalty: "l3"));
        Assert.Throws<ArgumentException>(() => new Perceptron().Fit(new float[,] { { 1 }, { 2 } }, [1, 1]));
        Assert.Throws<ArgumentException>(() => new Perceptron().Fit(new float[,] { { 1 }, { 2 } }, [1]));
        Assert.Throws<InvalidOperationException>(() => new Perceptron().Predict(new float[,] { { 1 } }));
        var p = new Perceptron().Fit(new float[,] { { 0 }, { 1 } }, [0, 1]);
        Assert.Throws<ArgumentException>(() => p.Predict(new float[,] { { 1, 2 } }));
    }

    [Fact]
    public void Threshold_logic_units_make_the_gates()
    {
        var inputs = Tensor.FromArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        Assert.Equal(new[] { 0, 0, 0, 1 }, ThresholdLogicUnit.And().Predict(inputs));
        Assert.Equal(new[] { 0, 1, 1, 1 }, ThresholdLogicUnit.Or().Predict(inputs));
        Assert.Equal(new[] { 0, 0, 1, 0 }, ThresholdLogicUnit.AAndNotB().Predict(inputs));
        Assert.Equal(1, ThresholdLogicUnit.Identity().Predict(1f));
        Assert.Equal(0, ThresholdLogicUnit.Identity().Predict(0f));
        Assert.Equal(-1, new ThresholdLogicUnit([1f], 0f, "sign").Predict(-2f));
        Assert.Throws<ArgumentException>(() => ThresholdLogicUnit.And().Predict(1f));
    }
}
