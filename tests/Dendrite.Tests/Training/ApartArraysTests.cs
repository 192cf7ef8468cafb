using Dendrite.Backends.Cpu;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Training;

/// <summary>
/// A weight's gradient buffer and optimizer slots start apart, modulo 4 KB, from the weight and from each other
/// (<see cref="ApartArrays"/>: the update streams them side by side, and starts at nearly the same address bits 0-11
/// make one stream's loads wait on another's stores). Checked in a fresh child process, as a training program runs (in
/// this test host, whose pinned heap is full of holes, the placement is a best effort); here: the arrays are zeroed and
/// of the asked length, and training is the same wherever they lie.
/// </summary>
[Collection(GlobalSeedCollection.Name)]
public class ApartArraysTests
{
    [Fact]
    public void A_fresh_training_process_starts_a_kernels_gradient_and_slots_apart()
    {
        using var child = System.Diagnostics.Process.Start(WriterChild.StartInfo("--apart"))!;
        var line = child.StandardOutput.ReadLine();
        Assert.True(child.WaitForExit(120_000));
        Assert.True(line is not null && line.StartsWith("apart ", StringComparison.Ordinal), $"'{line}' {child.StandardError.ReadToEnd()}");
        var bytes = line!["apart ".Length..].Split(' ').Select(int.Parse).ToArray();
        Assert.Equal(3, bytes.Length);
        Assert.All(bytes, b => Assert.InRange(b, ApartArrays.MinApart, 2048));
    }

    [Theory]
    [InlineData(200_704)]
    [InlineData(100)]
    public void New_arrays_are_zeroed_and_of_the_asked_length(int length)
    {
        var w = new float[length];
        var g = ApartArrays.NewArray(length, [w]);
        var m = ApartArrays.NewArray(length, [w, g]);
        foreach (var a in new[] { g, m })
        {
            Assert.Equal(length, a.Length);
            Assert.All(a, x => Assert.Equal(0f, x));
        }
        Assert.Equal(4096, ApartArrays.Closest(g, []));
        Assert.Equal(0, ApartArrays.Closest(g, [g]));
    }

    private static (Sequential Model, Tensor X, Tensor Y) W2Like()
    {
        RandomState.SetSeed(5);
        var x = Tensor.RandomUniform([256, 784], seed: 6);
        var labels = new int[256];
        for (int i = 0; i < labels.Length; i++) labels[i] = i % 10;
        var model = new Sequential([new Input(shape: [784]), new Dense(256, activation: "relu"), new Dense(10, activation: "softmax")]);
        model.Compile(optimizer: new Adam(), loss: "categorical_crossentropy");
        return (model, x, Ops.OneHot(labels, 10));
    }

    [Fact]
    public void Training_is_the_same_wherever_the_arrays_lie()
    {
        var (model, x, y) = W2Like();
        model.Fit(x, y, batchSize: 64, epochs: 2, verbose: 0);
        ApartArrays.Enabled = false;
        try
        {
            var (plain, x2, y2) = W2Like();
            plain.Fit(x2, y2, batchSize: 64, epochs: 2, verbose: 0);
            for (int i = 0; i < model.TrainableWeights.Count; i++)
                Assert.Equal(plain.TrainableWeights[i].ToArray(), model.TrainableWeights[i].ToArray());
        }
        finally { ApartArrays.Enabled = true; }
    }
}
