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
    private sealed class MirrorRank : IDataParallel
    {
        public int FloatReductions;
        public int Rank => 0;
        public int Size => 2;
        public void AllReduceSum(Span<float> data) { FloatReductions++; foreach (ref var v in data) v *= 2; }
        public void AllReduceSum(Span<double> data) { foreach (ref var v in data) v *= 2; }
        public void Broadcast(Span<float> data, int root = 0) { }
        public void Broadcast(Span<int> data, int root = 0) { }
        [DoesNotReturn]
        public void Abort(string message, int errorCode = 1) => throw new InvalidOperationException(message);
    }

    [Theory]
    [InlineData(1 << 20, false)]
    [InlineData(7, false)]      // buckets of 7 floats: gradients split across buckets
    [InlineData(7, true)]       // the same on the tape (L2 regularizer)
    public void EachRankTrainsOnItsShardWithTheAveragedGradient(int bucket, bool tape)
    {
        var x = Tensor.RandomNormal([48, 6], seed: 11);
        var y = Ops.OneHot(Enumerable.Range(0, 48).Select(i => i % 3).ToArray(), 3);
        var shardRows = Enumerable.Range(0, 48).Where(i => i % 2 == 0).ToArray();
        Model Build()
        {
            RandomState.SetSeed(4);
            var m = new Sequential([
                new Input(shape: [6]),
                new Dense(5, activation: "tanh", kernelRegularizer: tape ? new Dendrite.Regularizers.L2(0.01) : null),
                new Dense(3, activation: "softmax"),
            ]);
            m.Compile(optimizer: new Dendrite.Optimizers.Adam(learningRate: 0.01), loss: "categorical_crossentropy", metrics: ["accuracy"]);
            return m;
        }
        int saved = Model.AllReduceBucketFloats;
        Model.AllReduceBucketFloats = bucket;
        try
        {
            var mirror = new MirrorRank();
            var distributed = Build();
            var h = distributed.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, shuffle: false, distributed: mirror);
            var single = Build();
            var r = single.Fit(Ops.Gather(x, shardRows), Ops.Gather(y, shardRows), batchSize: 8, epochs: 2, verbose: 0, shuffle: false);
            TensorAssert.Close(single.GetWeights().SelectMany(w => w.ToArray()).ToArray(),
                distributed.GetWeights().SelectMany(w => w.ToArray()).ToArray(), atol: 1e-6f);
            Assert.Equal(r["loss"][1], h["loss"][1], 5);
            Assert.Equal(r["accuracy"][1], h["accuracy"][1], 5);
            int parameters = distributed.TrainableWeights.Sum(w => w.Size);   // 6*5+5+5*3+3 = 53
            Assert.Equal(2 * 3 * (int)Math.Ceiling(parameters / (double)Math.Min(bucket, parameters)), mirror.FloatReductions);
        }
        finally { Model.AllReduceBucketFloats = saved; }
    }
}
