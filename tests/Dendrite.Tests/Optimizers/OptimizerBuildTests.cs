using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;

namespace Dendrite.Tests.Optimizers;

/// <summary>Fit builds the optimizer's state before its first step, as Keras's <c>fit</c> does: every trainable weight
/// has its slots (and its gradient buffer) from the start, zeros until the first update, and a later Fit reuses them.</summary>
public class OptimizerBuildTests
{
    [Fact]
    public void Fit_builds_every_slot_and_gradient_buffer_before_the_first_step()
    {
        RandomState.SetSeed(3);
        var model = new Sequential([new Input(shape: [300]), new Dense(64, activation: "relu"), new Dense(3, activation: "softmax")]);
        var adam = new Adam(learningRate: 1e-3);
        model.Compile(optimizer: adam, loss: "categorical_crossentropy");
        var x = Tensor.RandomUniform([8, 300], seed: 1);
        var y = Ops.OneHot([0, 1, 2, 0, 1, 2, 0, 1], 3);
        Assert.All(model.TrainableWeights, w => Assert.Null(adam.ExistingSlots(w)));

        model.Fit(x, y, epochs: 0, verbose: 0);   // no step at all: the state is built, all zeros
        long parameters = model.TrainableWeights.Sum(w => (long)w.Size);
        Assert.Equal(2 + 2 * parameters, adam.StateSize);   // iterations, learning rate, m and v (Keras's count)
        Assert.Equal(0, adam.Iterations);
        foreach (var w in model.TrainableWeights)
        {
            var slots = adam.ExistingSlots(w)!;
            Assert.Equal(2, slots.Length);
            Assert.All(slots, s => Assert.True(s.Length == w.Size && s.AsSpan().IndexOfAnyExcept(0f) < 0));
            Assert.True(w.Grad is { } g && g.Shape == w.Shape && w.GradIsStale);
        }

        var before = model.TrainableWeights.Select(w => w.AsSpan().ToArray()).ToList();
        var slotArrays = model.TrainableWeights.Select(w => adam.ExistingSlots(w)!).ToList();
        model.Fit(x, y, epochs: 1, batchSize: 8, verbose: 0, shuffle: false);
        Assert.Equal(1, adam.Iterations);
        for (int i = 0; i < before.Count; i++)
        {
            Assert.Same(slotArrays[i], adam.ExistingSlots(model.TrainableWeights[i]));   // built once, reused
            Assert.NotEqual(before[i], model.TrainableWeights[i].AsSpan().ToArray());
            Assert.True(slotArrays[i][1].AsSpan().IndexOfAnyExcept(0f) >= 0, "the first step must have written v");
        }
    }

    [Fact]
    public void Adagrad_slots_built_by_Fit_start_at_its_initial_accumulator()
    {
        var model = new Sequential([new Input(shape: [40_000]), new Dense(2)]);   // 80,000 weights: slots big enough to be mapped by a worker
        var adagrad = new Adagrad(learningRate: 0.01);
        model.Compile(optimizer: adagrad, loss: "mse");
        model.Fit(Tensor.Zeros([2, 40_000]), Tensor.Zeros([2, 2]), epochs: 0, verbose: 0);
        foreach (var w in model.TrainableWeights)
            Assert.All(adagrad.ExistingSlots(w)!, s => Assert.True(s.AsSpan().IndexOfAnyExcept(0.1f) < 0));
    }
}
