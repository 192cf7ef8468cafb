using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Tests.Models;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Optimizers;

/// <summary>Three training steps of Dense(2) under MSE reproduce Keras's update formulas (computed independently in NumPy) to 1e-5.</summary>
public class OptimizerReferenceTests
{
    public static TheoryData<int> Cases()
    {
        var d = new TheoryData<int>();
        for (int i = 0; i < KerasReferences.Optimizers().Length; i++) d.Add(i);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Three_steps_match_keras_formulas(int index)
    {
        var c = KerasReferences.Optimizers()[index];
        var model = new Sequential([new Input(shape: [3]), new Dense(2)]);
        model.SetWeights([Tensor.FromArray(KerasReferences.Kernel0, 3, 2), Tensor.FromArray(KerasReferences.Bias0)]);
        model.Compile(optimizer: c.Make(), loss: "mse");
        var x = Tensor.FromArray(KerasReferences.X, 4, 3);
        var y = Tensor.FromArray(KerasReferences.Y, 4, 2);
        for (int step = 0; step < 3; step++) model.TrainOnBatch(x, y);
        var w = model.GetWeights();
        TensorAssert.Close(c.Kernel, w[0], atol: 1e-5f, rtol: 1e-5f, what: c.Name + " kernel");
        TensorAssert.Close(c.Bias, w[1], atol: 1e-5f, rtol: 1e-5f, what: c.Name + " bias");
        Assert.Equal(3, model.Optimizer!.Iterations);
    }

    [Fact]
    public void Only_one_clipping_option_is_allowed()
    {
        Assert.Throws<ArgumentException>(() => new Dendrite.Optimizers.SGD(clipnorm: 1, clipvalue: 1));
    }

    [Fact]
    public void Learning_rate_can_change_between_steps()
    {
        var opt = new Dendrite.Optimizers.SGD(learningRate: 0.1);
        var w = Tensor.FromArray([1f]);
        w.RequiresGrad = true;
        w.Grad = Tensor.FromArray([1f]);
        opt.Apply([w]);
        opt.LearningRate = 0.5;
        opt.Apply([w]);
        Assert.Equal(1f - 0.1f - 0.5f, w[0], 6);
    }

    [Theory]
    [InlineData("sgd"), InlineData("adam"), InlineData("adamw"), InlineData("rmsprop"), InlineData("adagrad"), InlineData("nadam")]
    public void Names_resolve_with_keras_defaults(string name)
    {
        var o = Dendrite.Optimizers.Optimizer.Get(name);
        Assert.Equal(name == "sgd" ? 0.01 : 0.001, o.LearningRate, 10);
        Assert.Equal(name == "adamw" ? 0.004 : null, o.WeightDecay);
        var e = Assert.Throws<ArgumentException>(() => Dendrite.Optimizers.Optimizer.Get("adamm"));
        Assert.Contains("adamm", e.Message);
    }
}
