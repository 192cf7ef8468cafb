using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Layers;

[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public class LambdaTests
{
    [Fact]
    public void Lambda_applies_its_function_and_infers_the_output_shape()
    {
        var m = new Sequential([new Input(shape: [3]), new Lambda(x => Ops.Square(x)), new Lambda(x => Ops.Sum(x, [-1], keepDims: true))]);
        Assert.Equal(new Shape(3), m.Layers[0].ComputeOutputShape(new Shape(3)));
        Assert.Equal(new Shape(1), m.Outputs[0].Shape);
        Assert.Contains("(None, 1)", m.SummaryText());
        var y = m.Predict(Tensor.FromArray(new float[,] { { 1, 2, 3 }, { -1, 0, 2 } }), verbose: 0);
        Assert.Equal(new float[,] { { 14 }, { 5 } }, y.ToArray2D());
    }

    [Fact]
    public void A_declared_output_shape_is_used_without_running_the_function()
    {
        int calls = 0;
        var l = new Lambda(x => { calls++; return Ops.Reshape(x, x.Shape[0], 2, -1); }, outputShape: [2, 2]);
        var input = new Input(shape: [4]);
        var m = new Model(input, l.Call(input));
        Assert.Equal(0, calls);
        Assert.Equal(new Shape(2, 2), m.Outputs[0].Shape);
        Assert.Equal(new Shape(3, 2, 2), m.Predict(Tensor.Zeros([3, 4]), verbose: 0).Shape);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Gradients_flow_through_a_lambda()
    {
        var w = Tensor.FromArray([1f, -2f, 3f]);
        w.RequiresGrad = true;
        var layer = new Lambda(x => Ops.Mul(Ops.Square(x), 0.5f));
        var loss = Ops.Sum(layer.Call(Ops.Reshape(w, 1, 3)));
        loss.Backward();
        Assert.Equal([1f, -2f, 3f], w.Grad!.ToArray());   // d(0.5 w^2)/dw = w
    }

    [Fact]
    public void A_model_with_a_lambda_trains()
    {
        Dendrite.Data.Utils.SetRandomSeed(3);
        var m = new Sequential([new Input(shape: [1]), new Dense(1), new Lambda(x => Ops.Mul(x, 2f))]);
        m.Compile(optimizer: "sgd", loss: "mse");
        var x = Tensor.Linspace(-1f, 1f, 32).Reshape(-1, 1);
        var h = m.Fit(x, x * 4f, epochs: 30, batchSize: 4, verbose: 0, shuffle: false);
        Assert.True(h["loss"][^1] < h["loss"][0] / 10, string.Join(", ", h["loss"]));
    }

    [Fact]
    public void Errors_are_clear()
    {
        var config = Assert.Throws<NotSupportedException>(() => new Lambda(x => x, name: "my_lambda").GetConfig());
        Assert.Contains("my_lambda", config.Message);
        Assert.Contains("Layer subclass", config.Message);
        var batch = Assert.Throws<ArgumentException>(() => new Lambda(x => Ops.Sum(x), name: "reducer").Call(new Input(shape: [3])));
        Assert.Contains("batch axis", batch.Message);
        Assert.Contains("reducer", batch.Message);
        var bad = Assert.Throws<ArgumentException>(() => new Lambda(x => Ops.Reshape(x, 7, 7)).Call(new Input(shape: [3])));
        Assert.Contains("outputShape", bad.Message);
    }
}
