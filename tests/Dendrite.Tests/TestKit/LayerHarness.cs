using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving;

namespace Dendrite.Tests.TestKit;

/// <summary>Checks every layer the same way: output shape, weight count, config round-trip and one training step.</summary>
internal static class LayerHarness
{
    /// <param name="warmUp">Runs the model once in training mode before the step (layers with state, such as BatchNormalization's
    /// moving statistics, then start from this batch).</param>
    public static void Check(Func<Layer> make, int[][] inputShapes, int[] expectedOutput, int expectedParams, bool warmUp = false)
    {
        // Shape inference and eager output agree.
        var layer = make();
        var inputs = inputShapes.Select(s => new Input(s)).ToList();
        var sym = layer.Call(inputs.Select(i => i.Output).ToList());
        Assert.Equal(new Shape(expectedOutput), sym.Shape);
        Assert.Equal(expectedParams, layer.CountParams());
        var batch = inputShapes.Select((s, i) => Tensor.RandomUniform([4, .. s], -1f, 1f, seed: 10 + i)).ToList();
        var y = layer.Call(batch);
        Assert.Equal(new Shape([4, .. expectedOutput]), y.Shape);

        // Config round-trip: same config, same outputs once the weights are copied.
        var config = layer.GetConfig();
        var clone = LayerRegistry.FromConfig(layer.ClassName, config);
        Assert.Equal(config.ToJsonString(), clone.GetConfig().ToJsonString().Replace($"\"name\":\"{clone.Name}\"", $"\"name\":\"{layer.Name}\""));
        clone.Call(inputShapes.Select(s => new Input(s).Output).ToList());
        clone.SetWeights(layer.GetWeights());
        TensorAssert.Close(y, clone.Call(batch), atol: 1e-6f);

        // One training step moves the trainable weights and lowers the loss.
        var model = new Model(inputs.Select(i => i.Output).ToList(), [sym]);
        model.Compile(optimizer: new Dendrite.Optimizers.SGD(learningRate: 0.05), loss: "mse");
        var target = Tensor.RandomUniform(y.Shape, -1f, 1f, seed: 99);
        if (warmUp) model.Call(batch, training: true);
        var before = model.GetWeights();
        float loss0 = model.Evaluate(batch, [target], verbose: 0)[0];
        model.TrainOnBatch(batch.Count == 1 ? batch[0] : throw new SkipTrain(), target);
        float loss1 = model.Evaluate(batch, [target], verbose: 0)[0];
        if (expectedParams > 0)
        {
            Assert.True(loss1 < loss0, $"{layer.ClassName}: loss {loss0} -> {loss1} after one step");
            Assert.Contains(before.Zip(model.GetWeights()), p => !p.First.ToArray().SequenceEqual(p.Second.ToArray()));
        }
        else Assert.Equal(loss0, loss1, 5);
    }

    /// <summary>Multi-input layers train through <see cref="TrainMulti"/> instead.</summary>
    public sealed class SkipTrain : Exception;

    public static void TrainMulti(Func<Layer> make, int[][] inputShapes)
    {
        var inputs = inputShapes.Select(s => new Input(s)).ToList();
        var merged = make().Call(inputs.Select(i => i.Output).ToList());
        var outputs = new Dense(2).Call(merged);
        var model = new Model(inputs.Select(i => i.Output).ToList(), [outputs]);
        model.Compile(optimizer: new Dendrite.Optimizers.SGD(learningRate: 0.05), loss: "mse");
        var batch = inputShapes.Select((s, i) => Tensor.RandomUniform([8, .. s], -1f, 1f, seed: 20 + i)).ToList();
        var target = Tensor.RandomUniform([8, 2], seed: 30);
        float loss0 = model.Evaluate(batch, [target], verbose: 0)[0];
        model.Fit(batch, [target], epochs: 1, batchSize: 8, verbose: 0);
        Assert.True(model.Evaluate(batch, [target], verbose: 0)[0] < loss0);
    }
}
