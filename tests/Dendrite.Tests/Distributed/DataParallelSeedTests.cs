using Dendrite.Distributed;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Distributed;

/// <summary>
/// Data-parallel training compared with plain training from one global seed: in the global-seed collection, so that no
/// test running beside it draws from the shared generator between the two runs (Fit's shuffle draws from it).
/// </summary>
[Collection(GlobalSeedCollection.Name)]
public sealed class DataParallelSeedTests
{
    [Fact]
    public void WithoutALauncherInitIsOneRankAndFitIsUnchanged()
    {
        Assert.False(DataParallel.LaunchedByMpi());
        using var dp = DataParallel.Init();
        Assert.Equal((0, 1, true), (dp.Rank, dp.Size, dp.IsRoot));
        var x = Tensor.RandomNormal([40, 5], seed: 3);
        var y = Tensor.FromArray(Enumerable.Range(0, 40).Select(i => (float)(i % 2)).ToArray(), [40, 1]);
        float[] Train(bool distributed)
        {
            RandomState.SetSeed(9);
            var model = new Sequential([new Input(shape: [5]), new Dense(4, activation: "tanh"), new Dense(1, activation: "sigmoid")]);
            model.Compile(optimizer: "adam", loss: "binary_crossentropy");
            model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, distributed: distributed ? dp : null);
            return model.GetWeights().SelectMany(w => w.ToArray()).ToArray();
        }
        Assert.Equal(Train(false), Train(true));
    }
}
