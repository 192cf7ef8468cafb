using Dendrite.Backends.Cpu;
using Dendrite.Callbacks;
using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Training;

/// <summary>
/// The next batch gathered ahead by an idle worker (<see cref="BatchAhead"/>): a slot's units copy exactly the posted
/// rows of every array (whoever claims them, each once, copied again with the same values); a batch is taken only for
/// the rows and arrays it was posted for; the batch a step reads is not overwritten by the next one's gather; and Fit
/// with it trains to the same weights, losses and predictions as Fit without it (partial last batch, validation, a
/// stop in mid-epoch, two inputs).
/// </summary>
[Collection(GlobalSeedCollection.Name)]
public class BatchAheadTests
{
    private static Tensor Data(int rows, int width, float offset)
    {
        var v = new float[rows * width];
        for (int i = 0; i < v.Length; i++) v[i] = offset + i * 0.25f;
        return Tensor.FromArray(v, rows, width);
    }

    private static float[] Expected(Tensor x, int[] rows)
    {
        int width = x.Size / x.Shape[0];
        var data = x.ToArray();
        var e = new float[rows.Length * width];
        for (int j = 0; j < rows.Length; j++) Array.Copy(data, rows[j] * width, e, j * width, width);
        return e;
    }

    private static int[] Rows(int count, int n, int seed)
    {
        var rng = new Random(seed);
        var rows = Enumerable.Range(0, count).Select(_ => rng.Next(n)).ToArray();
        rows[1] = rows[0];   // a row asked twice
        return rows;
    }

    [Fact]
    public void A_slot_copies_every_posted_row_of_every_array_once_per_unit()
    {
        Tensor[] arrays = [Data(200, 784, 0f), Data(200, 3072, -5f), Data(200, 1, 3f)];
        var rows = Rows(64, 200, 1);
        var slot = new BatchAhead.Slot();
        slot.Prepare(arrays, rows, unitFloats: 2048);
        slot.Open(7);
        Assert.Equal(32 + 64 + 1, slot.Remaining(7));   // 2 rows of 784, 1 of 3072, 2048 of width 1 (all 64) a unit
        Assert.False(slot.RunUnit(6));                  // another generation claims nothing
        int units = 0;
        while (slot.RunUnit(7)) units++;
        Assert.Equal(97, units);
        Assert.False(slot.InFlight);
        var views = slot.Views();
        for (int i = 0; i < arrays.Length; i++)
        {
            Assert.Equal(arrays[i].Shape.With(0, 64), views[i].Shape);
            Assert.Equal(Expected(arrays[i], rows), views[i].ToArray());
        }
    }

    [Fact]
    public void A_closed_slot_offers_nothing_and_copying_again_gives_the_same_values()
    {
        Tensor[] arrays = [Data(100, 784, 1f)];
        var rows = Rows(48, 100, 2);
        var slot = new BatchAhead.Slot();
        slot.Prepare(arrays, rows, unitFloats: 2048);
        slot.Open(1);
        Assert.True(slot.RunUnit(1));
        slot.Close(1);
        Assert.Equal(0, slot.Remaining(1));
        Assert.False(slot.RunUnit(1));
        slot.CopyAll();
        Assert.Equal(Expected(arrays[0], rows), slot.Views()[0].ToArray());
        slot.CopyAll();
        Assert.Equal(Expected(arrays[0], rows), slot.Views()[0].ToArray());
    }

    [Fact]
    public void A_slot_matches_only_its_rows_and_arrays()
    {
        var x = Data(100, 784, 0f);
        var rows = Rows(48, 100, 3);
        var slot = new BatchAhead.Slot();
        slot.Prepare([x], rows, unitFloats: 2048);
        Assert.True(slot.Matches([x], rows));
        var other = (int[])rows.Clone();
        other[5] = (other[5] + 1) % 100;
        Assert.False(slot.Matches([x], other));
        Assert.False(slot.Matches([x], rows.AsSpan(0, 47)));
        Assert.False(slot.Matches([Data(100, 784, 0f)], rows));   // equal values, another array
        Assert.False(slot.Matches([x, x], rows));
    }

    [Fact]
    public void A_taken_batch_is_the_posted_rows_and_survives_the_next_gather()
    {
        var x = Data(300, 784, 0.5f);
        var ahead = new BatchAhead();
        Assert.Null(ahead.Take([x], Rows(64, 300, 4)));   // nothing posted
        var first = Rows(64, 300, 5);
        var second = Rows(64, 300, 6);
        ahead.Post([x], first);
        if (!ahead.Armed)
        {
            // Only with one thread or on a busy machine (the pool runs jobs alone): then Take leaves it to the plain gather.
            Assert.True(WorkerPool.WorkerThreads < 1 || BusyMachine.Solo, "a batch of 64 x 784 was not offered");
            Assert.Null(ahead.Take([x], first));
            return;
        }
        var a = ahead.Take([x], first);
        Assert.NotNull(a);
        Assert.Equal(Expected(x, first), a[0].ToArray());
        ahead.Post([x], second);
        var b = ahead.Armed ? ahead.Take([x], second) : null;
        if (b is not null)
        {
            Assert.Equal(Expected(x, second), b[0].ToArray());
            Assert.NotSame(a[0].Data, b[0].Data);
        }
        Assert.Equal(Expected(x, first), a[0].ToArray());   // the step that read the first batch still sees it
    }

    [Fact]
    public void Other_rows_or_a_small_batch_are_not_taken()
    {
        var x = Data(300, 784, 0f);
        var ahead = new BatchAhead();
        ahead.Post([x], Rows(64, 300, 7));
        bool armed = ahead.Armed;
        Assert.Null(ahead.Take([x], Rows(64, 300, 8)));
        Assert.False(ahead.Armed);
        if (armed) Assert.Null(ahead.Take([x], Rows(64, 300, 7)));   // the offer was withdrawn
        ahead.Post([Data(300, 100, 0f)], Rows(64, 300, 9));          // 6,400 floats: gathered as they come
        Assert.False(ahead.Armed);
    }

    [Fact]
    public void A_model_kept_after_fit_does_not_keep_its_training_data_alive()
    {
        var model = new Sequential([new Input(shape: [784]), new Dense(8, activation: "relu"), new Dense(10, activation: "softmax")]);
        model.Compile(optimizer: new Adam(), loss: "categorical_crossentropy");
        var data = FitOnFreshData(model);
        for (int i = 0; i < 3 && data.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(data.IsAlive, "the training data is still reachable after Fit");
        Assert.Equal([1, 10], model.Predict(Tensor.Zeros([1, 784]), verbose: 0).Shape.ToArray());
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference FitOnFreshData(Model model)
    {
        var x = Tensor.RandomUniform([256, 784], seed: 8);
        var y = Ops.OneHot(Enumerable.Range(0, 256).Select(i => i % 10).ToArray(), 10);
        model.Fit(x, y, batchSize: 64, epochs: 2, verbose: 0);
        return new WeakReference(x);
    }

    private sealed class StopAt(int step) : Callback
    {
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
        {
            if (batch == step) Model!.StopTraining = true;
        }
    }

    private static (IReadOnlyList<Tensor> Weights, List<float> Losses, Tensor Prediction) Train(bool ahead, bool twoInputs)
    {
        BatchAhead.Enabled = ahead;
        try
        {
            Utils.SetRandomSeed(3);
            var xa = Tensor.RandomUniform([333, 784], seed: 1);
            var xb = Tensor.RandomUniform([333, 600], seed: 2);
            var rng = new RandomGenerator(4);
            var y = Ops.OneHot(Enumerable.Range(0, 333).Select(_ => rng.NextInt(10)).ToArray(), 10);
            Model model;
            if (twoInputs)
            {
                var a = new Input(shape: [784]);
                var b = new Input(shape: [600]);
                var h = new Concatenate().Call(new Dense(16, activation: "relu").Call(a), new Dense(8, activation: "relu").Call(b));
                model = new Model([a, b], [new Dense(10, activation: "softmax").Call(h)]);
            }
            else model = new Sequential([new Input(shape: [784]), new Dense(32, activation: "relu"), new Dense(10, activation: "softmax")]);
            model.Compile(optimizer: new Adam(learningRate: 0.01), loss: "categorical_crossentropy");
            Tensor[] x = twoInputs ? [xa, xb] : [xa];
            var losses = new List<float>();
            Utils.SetRandomSeed(5);
            losses.AddRange(model.Fit(x, [y], batchSize: 64, epochs: 2, verbose: 0, validationSplit: 0.1)["loss"]);    // 299 training rows: 4 steps of 64, one of 43
            losses.AddRange(model.Fit(x, [y], batchSize: 48, epochs: 2, verbose: 0, callbacks: [new StopAt(3)])["loss"]);   // stops in mid-epoch
            losses.AddRange(model.Fit(x, [y], batchSize: 64, epochs: 1, verbose: 0)["loss"]);
            return (model.GetWeights(), losses, model.PredictOutputs(x, batchSize: 100, verbose: 0)[0]);
        }
        finally { BatchAhead.Enabled = true; }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_trains_the_same_with_and_without_it(bool twoInputs)
    {
        var with = Train(ahead: true, twoInputs);
        var without = Train(ahead: false, twoInputs);
        Assert.Equal(without.Losses.Count, with.Losses.Count);
        for (int i = 0; i < with.Losses.Count; i++)
            Assert.True(Math.Abs(with.Losses[i] - without.Losses[i]) <= 1e-6f * Math.Max(1f, Math.Abs(without.Losses[i])), $"loss {i}: {with.Losses[i]} vs {without.Losses[i]}");
        for (int i = 0; i < with.Weights.Count; i++) TensorAssert.Close(without.Weights[i], with.Weights[i], 1e-6f, 1e-6f, $"weight {i}");
        TensorAssert.Close(without.Prediction, with.Prediction, 1e-6f, 1e-6f, "prediction");
    }
}
