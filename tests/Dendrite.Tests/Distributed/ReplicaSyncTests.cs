using System.Diagnostics.CodeAnalysis;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Training;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Distributed;

/// <summary>
/// The data-parallel step in one process, against a stand-in for a second rank that holds exactly this rank's
/// gradients and metric states (its allreduce doubles them): the average is then this rank's own gradient, so training
/// must equal one process on this rank's shard (positions 0, 2, 4, ... of each global batch) with the per-rank batch.
/// </summary>
[Collection("mpirun")]   // changes Model.AllReduceBucketFloats: not beside the multi-rank tests' worker builds, and not in parallel
public sealed class ReplicaSyncTests
{
    private sealed class MirrorRank(bool overlap) : IDataParallel
    {
        public int FloatReductions;
        public int Rank => 0;
        public int Size => 2;
        public bool CollectivesFromAnyThread => overlap;
        public void AllReduceSum(Span<float> data) { Interlocked.Increment(ref FloatReductions); foreach (ref var v in data) v *= 2; }
        public void AllReduceSum(Span<double> data) { foreach (ref var v in data) v *= 2; }
        public void Broadcast(Span<float> data, int root = 0) { }
        public void Broadcast(Span<int> data, int root = 0) { }
        [DoesNotReturn]
        public void Abort(string message, int errorCode = 1) => throw new InvalidOperationException(message);
    }

    [Theory]
    [InlineData(1 << 20, false, false, 1)]
    [InlineData(1 << 20, false, true, 1)]
    [InlineData(7, false, false, 4)]      // buckets of at most 7 floats: the weights (3, 15, 5, 30 floats, last first) one each
    [InlineData(7, false, true, 4)]       // ... reduced on a background thread as the backward pass finishes them
    [InlineData(20, true, false, 3)]      // 3 + 15 together, then 5, then 30; on the tape (L2 regularizer)
    [InlineData(20, true, true, 3)]
    public void EachRankTrainsOnItsShardWithTheAveragedGradient(int bucket, bool tape, bool overlap, int bucketsPerStep)
    {
        var x = Tensor.RandomNormal([48, 6], seed: 11);
        var y = Ops.OneHot(Enumerable.Range(0, 48).Select(i => i % 3).ToArray(), 3);
        var shardRows = Enumerable.Range(0, 48).Where(i => i % 2 == 0).ToArray();
        Model Build()
        {
            // Seeded initializers, not the global generator: this collection runs beside tests that draw from it.
            var m = new Sequential([
                new Input(shape: [6]),
                new Dense(5, activation: "tanh", kernelInitializer: new Dendrite.Initializers.GlorotUniform(4),
                    kernelRegularizer: tape ? new Dendrite.Regularizers.L2(0.01) : null),
                new Dense(3, activation: "softmax", kernelInitializer: new Dendrite.Initializers.GlorotUniform(5)),
            ]);
            m.Compile(optimizer: new Dendrite.Optimizers.Adam(learningRate: 0.01), loss: "categorical_crossentropy", metrics: ["accuracy"]);
            return m;
        }
        int saved = Model.AllReduceBucketFloats;
        Model.AllReduceBucketFloats = bucket;
        try
        {
            var mirror = new MirrorRank(overlap);
            var distributed = Build();
            var h = distributed.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, shuffle: false, distributed: mirror);
            var single = Build();
            var r = single.Fit(Ops.Gather(x, shardRows), Ops.Gather(y, shardRows), batchSize: 8, epochs: 2, verbose: 0, shuffle: false);
            TensorAssert.Close(single.GetWeights().SelectMany(w => w.ToArray()).ToArray(),
                distributed.GetWeights().SelectMany(w => w.ToArray()).ToArray(), atol: 1e-6f);
            Assert.Equal(r["loss"][1], h["loss"][1], 5);
            Assert.Equal(r["accuracy"][1], h["accuracy"][1], 5);
            Assert.Equal(2 * 3 * bucketsPerStep, mirror.FloatReductions);   // 2 epochs x 3 steps
        }
        finally { Model.AllReduceBucketFloats = saved; }
    }
}
