using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Models;

/// <summary>Bad input gets a clear exception naming the layer or argument, raised before any weight changes.</summary>
public class ErrorTests
{
    private static Sequential Model3()
    {
        var m = new Sequential([new Input(shape: [3]), new Dense(2, name: "first_dense"), new Dense(1)]);
        m.Compile(optimizer: "sgd", loss: "mse");
        return m;
    }

    private static void AssertUnchanged(Model m, Action act)
    {
        var before = m.GetWeights().Select(w => w.ToArray()).ToList();
        Assert.ThrowsAny<Exception>(act);
        Assert.Equal(before, m.GetWeights().Select(w => w.ToArray()).ToList());
    }

    [Fact]
    public void Wrong_input_shape_names_the_model_and_both_shapes()
    {
        var m = Model3();
        var e = Assert.Throws<ArgumentException>(() => m.Fit(Tensor.Zeros([4, 5]), Tensor.Zeros([4, 1]), verbose: 0));
        Assert.Contains("(None, 3)", e.Message);
        Assert.Contains("(None, 5)", e.Message);
        Assert.Contains(m.Name, e.Message);
        var layerError = Assert.Throws<ArgumentException>(() => m.GetLayer("first_dense").Call(Tensor.Zeros([1, 4])));
        Assert.Contains("first_dense", layerError.Message);
        AssertUnchanged(m, () => m.Fit(Tensor.Zeros([4, 5]), Tensor.Zeros([4, 1]), verbose: 0));
    }

    [Fact]
    public void Unknown_names_list_the_known_ones()
    {
        Assert.Contains("relu", Assert.Throws<ArgumentException>(() => new Dense(2, activation: "rellu")).Message);
        Assert.Contains("adam", Assert.Throws<ArgumentException>(() => Model3().Compile(optimizer: "adamx", loss: "mse")).Message);
        Assert.Contains("mse", Assert.Throws<ArgumentException>(() => Model3().Compile(loss: "msee")).Message);
        Assert.Contains("accuracy", Assert.Throws<ArgumentException>(() => Model3().Compile(loss: "mse", metrics: ["acuracy"])).Message);
    }

    [Fact]
    public void Fit_before_compile()
    {
        var m = new Sequential([new Input(shape: [3]), new Dense(1)]);
        var e = Assert.Throws<InvalidOperationException>(() => m.Fit(Tensor.Zeros([2, 3]), Tensor.Zeros([2, 1])));
        Assert.Contains("Compile", e.Message);
        Assert.Throws<InvalidOperationException>(() => m.Evaluate(Tensor.Zeros([2, 3]), Tensor.Zeros([2, 1])));
    }

    [Fact]
    public void Predict_on_nan_inputs_names_the_sample()
    {
        var m = Model3();
        var x = Tensor.Ones([40, 3]);
        x[33, 0] = float.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => m.Predict(x, verbose: 0));
        Assert.Contains("infinite", e.Message);
        Assert.Contains("sample 33", e.Message);
        Assert.Equal(40, m.Predict(Tensor.Ones([40, 3]), verbose: 0).Shape[0]);
    }

    [Fact]
    public void Length_mismatch_and_nan_are_refused_before_training()
    {
        var m = Model3();
        var e = Assert.Throws<ArgumentException>(() => m.Fit(Tensor.Zeros([4, 3]), Tensor.Zeros([5, 1]), verbose: 0));
        Assert.Contains("4", e.Message);
        Assert.Contains("5", e.Message);
        var x = Tensor.Zeros([4, 3]);
        x[2, 1] = float.NaN;
        var nan = Assert.Throws<ArgumentException>(() => m.Fit(x, Tensor.Zeros([4, 1]), verbose: 0));
        Assert.Contains("NaN", nan.Message);
        Assert.Contains("sample 2", nan.Message);
        AssertUnchanged(m, () => m.Fit(x, Tensor.Zeros([4, 1]), verbose: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Fit(Tensor.Zeros([4, 3]), Tensor.Zeros([4, 1]), batchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Fit(Tensor.Zeros([4, 3]), Tensor.Zeros([4, 1]), validationSplit: 1.0));
    }

    [Fact]
    public void Set_weights_checks_count_and_shapes()
    {
        var m = Model3();
        Assert.Throws<ArgumentException>(() => m.SetWeights([Tensor.Zeros([3, 2])]));
        var e = Assert.Throws<ArgumentException>(() => m.SetWeights([Tensor.Zeros([3, 3]), Tensor.Zeros([2]), Tensor.Zeros([2, 1]), Tensor.Zeros([1])]));
        Assert.Contains("(3, 2)", e.Message);
        Assert.Contains("(3, 3)", e.Message);
    }
}
