using System.Diagnostics;
using System.Runtime.CompilerServices;
using Dendrite.Callbacks;
using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Models;

/// <summary>Fit, Evaluate and Predict over batch sources (issue 20): Keras's model.fit(dataset, ...) semantics.</summary>
[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]   // seeds the global generator and redirects Console.Error
public class FitBatchesTests
{
    private static Sequential Small(bool compiled = true, int seed = 3)
    {
        Utils.SetRandomSeed(seed);
        var m = new Sequential([new Input(shape: [3]), new Dense(6, activation: "tanh"), new Dense(1, activation: "sigmoid")]);
        m.Compile(optimizer: new Dendrite.Optimizers.Adam(learningRate: 0.05), loss: "binary_crossentropy", metrics: ["accuracy"]);
        return m;
    }

    private static (Tensor X, Tensor Y) Data(int n, int seed = 7)
    {
        var x = Tensor.RandomNormal([n, 3], seed: seed);
        var xs = x.ToArray();
        var y = new float[n];
        for (int i = 0; i < n; i++) y[i] = xs[3 * i] + 0.5f * xs[3 * i + 1] > 0 ? 1 : 0;
        return (x, Tensor.FromArray(y, n, 1));
    }

    private static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double tolerance = 1e-6)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"at {i}: expected {expected[i]}, got {actual[i]}");
    }

    private static void AssertSameWeights(Model expected, Model actual)
    {
        var e = expected.GetWeights();
        var a = actual.GetWeights();
        Assert.Equal(e.Count, a.Count);
        for (int i = 0; i < e.Count; i++) AssertClose(e[i].ToArray(), a[i].ToArray());
    }

    private static void AssertSameHistory(History expected, History actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Equal(expected.Epoch, actual.Epoch);
        foreach (var k in expected.Keys) AssertClose(expected[k], actual[k]);
    }

    /// <summary>A one-shot source (not a collection: its length is unknown) that records what happened to it.</summary>
    private sealed class Probe
    {
        public int Enumerations, Produced, Disposed;
        public int ThrowAt = -1;
        public int SleepMs;

        public IEnumerable<(Tensor X, Tensor Y)> Source(IReadOnlyList<(Tensor X, Tensor Y)> batches)
        {
            Interlocked.Increment(ref Enumerations);
            try
            {
                for (int i = 0; i < batches.Count; i++)
                {
                    if (SleepMs > 0) Thread.Sleep(SleepMs);
                    if (i == ThrowAt) throw new InvalidDataException($"batch file {i} is corrupt");
                    Interlocked.Increment(ref Produced);
                    yield return batches[i];
                }
            }
            finally { Interlocked.Increment(ref Disposed); }
        }
    }

    private static async IAsyncEnumerable<(Tensor X, Tensor Y)> Async(IEnumerable<(Tensor X, Tensor Y)> batches, int throwAt = -1,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int i = 0;
        foreach (var b in batches)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            if (i++ == throwAt) throw new InvalidDataException($"batch file {i - 1} is corrupt");
            yield return b;
        }
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    [InlineData(true, 0)]
    public void Streaming_fit_matches_array_fit_with_shuffle_off(bool compiled, int prefetch)
    {
        var (x, y) = Data(10);
        var (vx, vy) = Data(7, seed: 8);
        var reference = Small(compiled);
        var expected = reference.Fit(x, y, batchSize: 4, epochs: 3, verbose: 0, shuffle: false, validationData: (vx, vy));
        var m = Small(compiled);
        var actual = m.Fit(Batches.FromArrays(x, y, batchSize: 4), epochs: 3, verbose: 0,
            validationData: Batches.FromArrays(vx, vy, batchSize: 3), prefetch: prefetch);
        AssertSameHistory(expected, actual);
        AssertSameWeights(reference, m);
        Assert.Contains("val_accuracy", actual.Keys);
    }

    [Fact]
    public void A_source_of_unknown_length_trains_each_epoch_from_a_fresh_enumeration()
    {
        var (x, y) = Data(10);
        var reference = Small();
        var expected = reference.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, shuffle: false);
        var probe = new Probe();
        var batches = Batches.FromArrays(x, y, batchSize: 4).ToList();
        var m = Small();
        var actual = m.Fit(probe.Source(batches), epochs: 2, verbose: 0);
        Assert.Equal(2, probe.Enumerations);
        Assert.Equal(2, probe.Disposed);
        AssertSameHistory(expected, actual);
        AssertSameWeights(reference, m);
    }

    [Fact]
    public void StepsPerEpoch_continues_one_enumeration_across_epochs()
    {
        var (x, y) = Data(24);
        var reference = Small();
        reference.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0, shuffle: false);   // the 6 batches once
        var probe = new Probe();
        var m = Small();
        var steps = new List<int>();
        var h = m.Fit(probe.Source(Batches.FromArrays(x, y, batchSize: 4).ToList()), epochs: 3, stepsPerEpoch: 2, verbose: 0,
            callbacks: [new LambdaCallback(onTrainBatchEnd: (b, _) => steps.Add(b))]);
        Assert.Equal(1, probe.Enumerations);
        Assert.Equal(1, probe.Disposed);
        Assert.Equal([0, 1, 2], h.Epoch);
        Assert.Equal([0, 1, 0, 1, 0, 1], steps);
        AssertSameWeights(reference, m);   // batches 0-5, each once: not batches 0 and 1 three times
    }

    [Theory]
    [InlineData(5, new[] { 0, 1, 2 })]   // runs out in the middle of epoch 2, which ends with its one batch
    [InlineData(4, new[] { 0, 1 })]      // runs out exactly at the end of epoch 1: epoch 2 never begins
    public void A_source_that_runs_out_with_stepsPerEpoch_stops_training_with_Keras_warning(int batches, int[] epochs)
    {
        var (x, y) = Data(4 * batches);
        var m = Small();
        var err = new StringWriter();
        var previous = Console.Error;
        Console.SetError(err);
        History h;
        try { h = m.Fit(new Probe().Source(Batches.FromArrays(x, y, batchSize: 4).ToList()), epochs: 4, stepsPerEpoch: 2, verbose: 0); }
        finally { Console.SetError(previous); }
        Assert.Equal(epochs, h.Epoch);
        Assert.Contains("Your input ran out of data; interrupting training.", err.ToString());
        Assert.Contains("`stepsPerEpoch * epochs` batches", err.ToString());
    }

    [Fact]
    public void Without_stepsPerEpoch_an_epoch_ends_where_the_source_ends_without_warning()
    {
        var (x, y) = Data(10);
        var err = new StringWriter();
        var previous = Console.Error;
        Console.SetError(err);
        try { Small().Fit(new Probe().Source(Batches.FromArrays(x, y, batchSize: 4).ToList()), epochs: 2, verbose: 0); }
        finally { Console.SetError(previous); }
        Assert.Equal("", err.ToString());
    }

    [Fact]
    public void Progress_bar_counts_Unknown_in_the_first_epoch_and_the_learned_count_after()
    {
        var (x, y) = Data(12);
        var output = new StringWriter();
        var m = Small();
        m.Fit(new Probe().Source(Batches.FromArrays(x, y, batchSize: 4).ToList()), epochs: 2, verbose: 1,
            callbacks: [new ProgbarLogger(output, dynamicDisplay: true)]);
        string text = output.ToString();
        int second = text.IndexOf("Epoch 2/2", StringComparison.Ordinal);
        Assert.True(second > 0, text);
        string first = text[..second], rest = text[second..];
        Assert.StartsWith("Epoch 1/2\n\r      1/Unknown \x1b[1m", first.Replace("\r\n", "\n"));   // the first step draws at once
        Assert.Matches(@"\x1b\[1m3/3\x1b\[0m \x1b\[32m━{20}\x1b\[0m\x1b\[37m\x1b\[0m \x1b\[1m\d+s\x1b\[0m \d+(us|ms|s)/step - accuracy: ", first);
        Assert.DoesNotContain("Unknown", rest);
        Assert.Contains("\x1b[1m3/3\x1b[0m", rest);
    }

    [Fact]
    public void Progress_bar_for_a_collection_knows_its_count_from_the_first_epoch()
    {
        var (x, y) = Data(12);
        var output = new StringWriter();
        Small().Fit(Batches.FromArrays(x, y, batchSize: 4), epochs: 1, verbose: 1, callbacks: [new ProgbarLogger(output, dynamicDisplay: true)]);
        Assert.DoesNotContain("Unknown", output.ToString());
        Assert.Contains("\x1b[1m1/3\x1b[0m", output.ToString());
    }

    [Fact]
    public void Progbar_without_a_target_writes_Keras_unknown_form()
    {
        var output = new StringWriter();
        var bar = new Progbar(null, 1, output, dynamicDisplay: false);
        bar.Update(7, [new("loss", 0.5f)], finalize: true);
        Assert.Matches(@"^      7/Unknown \d+s \d+(us|ms|s)/step - loss: 0\.5000\n$", output.ToString());
        var known = new StringWriter();
        new Progbar(3, 1, known, dynamicDisplay: false).Update(3, [new("loss", 0.5f)]);
        Assert.Matches(@"^3/3 ━{20} \d+s \d+(us|ms|s)/step - loss: 0\.5000\n$", known.ToString());
    }

    [Fact]
    public void Async_source_trains_as_the_synchronous_one()
    {
        var (x, y) = Data(10);
        var (vx, vy) = Data(5, seed: 9);
        var reference = Small();
        var expected = reference.Fit(Batches.FromArrays(x, y, batchSize: 3), epochs: 2, verbose: 0, validationData: Batches.FromArrays(vx, vy, 2));
        var m = Small();
        var actual = m.Fit(Async(Batches.FromArrays(x, y, batchSize: 3)), epochs: 2, verbose: 0,
            validationData: Async(Batches.FromArrays(vx, vy, 2)), prefetch: 0);
        AssertSameHistory(expected, actual);
        AssertSameWeights(reference, m);
        AssertClose(m.Evaluate(x, y, verbose: 0), m.Evaluate(Async(Batches.FromArrays(x, y, batchSize: 4)), verbose: 0));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public void An_exception_from_the_source_surfaces_as_it_was_and_the_enumerator_is_disposed(int prefetch)
    {
        var (x, y) = Data(20);
        var probe = new Probe { ThrowAt = 3 };
        int trained = 0;
        var e = Assert.Throws<InvalidDataException>(() => Small().Fit(probe.Source(Batches.FromArrays(x, y, batchSize: 4).ToList()),
            epochs: 1, verbose: 0, prefetch: prefetch, callbacks: [new LambdaCallback(onTrainBatchEnd: (_, _) => trained++)]));
        Assert.Equal("batch file 3 is corrupt", e.Message);
        Assert.Equal(3, trained);   // batches 0-2 trained; the error comes where batch 3 is needed
        Assert.Equal(1, probe.Disposed);

        var a = Assert.Throws<InvalidDataException>(() => Small().Fit(Async(Batches.FromArrays(x, y, batchSize: 4), throwAt: 2), verbose: 0));
        Assert.Equal("batch file 2 is corrupt", a.Message);
    }

    [Fact]
    public void Prefetch_reads_ahead_while_a_step_runs()
    {
        var (x, y) = Data(40);
        var batches = Batches.FromArrays(x, y, batchSize: 4).ToList();
        int ReadDuringFirstStep(int prefetch)
        {
            var probe = new Probe { SleepMs = 5 };
            int readBeforeStepEnded = -1;
            Small().Fit(probe.Source(batches), verbose: 0, prefetch: prefetch, callbacks: [new LambdaCallback(onTrainBatchEnd: (b, _) =>
            {
                if (b != 0) return;
                Thread.Sleep(400);   // a slow step; the producer should fill the queue meanwhile
                readBeforeStepEnded = Volatile.Read(ref probe.Produced);
            })]);
            return readBeforeStepEnded;
        }
        Assert.Equal(1, ReadDuringFirstStep(0));           // serial: only the batch being trained on
        Assert.True(ReadDuringFirstStep(2) >= 3);          // the batch in training and two more queued (a third may be in hand)
    }

    [Fact]
    public void Prefetch_overlaps_loading_with_every_step()
    {
        // Deterministic instead of timed: during each step the producer must load the next batch on its own (the step
        // waits for it, up to 10 s); serially, nothing beyond the batch in training is ever read during a step.
        var (x, y) = Data(60);
        var batches = Batches.FromArrays(x, y, batchSize: 4).ToList();   // 15 batches
        (int Overlapped, int MaxAhead) Run(int prefetch)
        {
            var probe = new Probe { SleepMs = 2 };
            int overlapped = 0, maxAhead = 0;
            Small().Fit(probe.Source(batches), verbose: 0, prefetch: prefetch, callbacks: [new LambdaCallback(onTrainBatchEnd: (b, _) =>
            {
                int next = Math.Min(b + 2, batches.Count);   // batch b is in training; b + 1 is the next one
                if (prefetch > 0 && SpinWait.SpinUntil(() => Volatile.Read(ref probe.Produced) >= next, TimeSpan.FromSeconds(10))) overlapped++;
                maxAhead = Math.Max(maxAhead, Volatile.Read(ref probe.Produced) - (b + 1));
            })]);
            return (overlapped, maxAhead);
        }
        Assert.Equal((0, 0), Run(0));
        var (steps, ahead) = Run(2);
        Assert.Equal(batches.Count, steps);
        Assert.InRange(ahead, 1, 3);   // never more than the queue (2) plus the batch in the producer's hand
    }

    [Fact]
    public void Validation_source_is_read_from_its_start_each_epoch_for_validationSteps_batches()
    {
        var (x, y) = Data(12);
        var (vx, vy) = Data(9, seed: 11);
        var m = Small();
        var h = m.Fit(Batches.FromArrays(x, y, batchSize: 4), epochs: 2, verbose: 0,
            validationData: Batches.FromArrays(vx, vy, batchSize: 3), validationSteps: 1);
        var firstBatch = m.EvaluateToDictionary(Ops.Slice(vx, 0, 0, 3), Ops.Slice(vy, 0, 0, 3), verbose: 0);
        Assert.Equal(firstBatch["loss"], h["val_loss"][^1], 6);
        Assert.Equal(firstBatch["accuracy"], h["val_accuracy"][^1], 6);
    }

    [Fact]
    public void Cancellation_stops_training_and_the_producer()
    {
        var (x, y) = Data(40);
        var probe = new Probe();
        using var cts = new CancellationTokenSource();
        int trained = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => Small().Fit(probe.Source(Batches.FromArrays(x, y, batchSize: 4).ToList()),
            epochs: 5, verbose: 0, cancellationToken: cts.Token,
            callbacks: [new LambdaCallback(onTrainBatchEnd: (b, _) => { if (++trained == 2) cts.Cancel(); })]));
        Assert.Equal(2, trained);
        Assert.Equal(1, probe.Disposed);

        // Cancelled while waiting for a slow source.
        var slow = new Probe { SleepMs = 200 };
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var watch = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => Small().Fit(slow.Source(Batches.FromArrays(x, y, batchSize: 4).ToList()),
            verbose: 0, cancellationToken: soon.Token));
        Assert.Equal(1, slow.Disposed);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }

    [Fact]
    public void Evaluate_and_Predict_over_batches_match_the_array_versions()
    {
        var (x, y) = Data(11);
        var m = Small();
        m.Fit(x, y, epochs: 2, verbose: 0);
        AssertClose(m.Evaluate(x, y, batchSize: 4, verbose: 0), m.Evaluate(Batches.FromArrays(x, y, batchSize: 4), verbose: 0));
        var d = m.EvaluateToDictionary(new Probe().Source(Batches.FromArrays(x, y, batchSize: 5).ToList()), verbose: 0);
        AssertClose(m.Evaluate(x, y, verbose: 0), [d["loss"], d["accuracy"]]);
        var p = m.Predict(Batches.FromArrays(x, y, batchSize: 4).Select(b => b.X), verbose: 0);
        Assert.Equal([11, 1], p.Shape.ToArray());
        AssertClose(m.Predict(x, verbose: 0).ToArray(), p.ToArray());
        var two = m.Predict(Batches.FromArrays(x, y, batchSize: 4).Select(b => b.X), steps: 2, verbose: 0);
        Assert.Equal([8, 1], two.Shape.ToArray());
        var fromAsync = m.Predict(InputsAsync(Batches.FromArrays(x, y, batchSize: 3).Select(b => b.X)), verbose: 0);
        AssertClose(p.ToArray(), fromAsync.ToArray());
    }

    private static async IAsyncEnumerable<Tensor> InputsAsync(IEnumerable<Tensor> batches)
    {
        foreach (var b in batches)
        {
            await Task.Yield();
            yield return b;
        }
    }

    [Fact]
    public void FromGenerator_makes_batches_on_demand_and_Batches_check_their_arguments()
    {
        var (x, y) = Data(10);
        var reference = Small();
        var expected = reference.Fit(x, y, batchSize: 5, epochs: 2, verbose: 0, shuffle: false);
        var m = Small();
        var actual = m.Fit(Batches.FromGenerator(2, i => (Ops.Slice(x, 0, 5 * i, 5), Ops.Slice(y, 0, 5 * i, 5))), epochs: 2, verbose: 0);
        AssertSameHistory(expected, actual);
        Assert.Equal(3, Batches.FromArrays(x, y, batchSize: 4).Count);
        Assert.Throws<ArgumentOutOfRangeException>("batchSize", () => Batches.FromArrays(x, y, batchSize: 0));
        Assert.Throws<ArgumentException>("y", () => Batches.FromArrays(x, Ops.Slice(y, 0, 0, 9)));
        Assert.Throws<ArgumentOutOfRangeException>("count", () => Batches.FromGenerator(-1, i => (x, y)));
    }

    [Fact]
    public void Shuffled_batches_cover_every_row_once_per_epoch_in_a_new_order()
    {
        var x = Tensor.FromArray(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 10, 1);
        var source = Batches.FromArrays(x, x, batchSize: 3, shuffle: true, seed: 5);
        float[] Epoch() => source.SelectMany(b => b.X.ToArray()).ToArray();
        var first = Epoch();
        var second = Epoch();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), first.Order());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), second.Order());
        Assert.NotEqual(first, second);
        Assert.Equal(first, Batches.FromArrays(x, x, batchSize: 3, shuffle: true, seed: 5).SelectMany(b => b.X.ToArray()));
    }

    [Fact]
    public void Bad_arguments_and_bad_batches_are_reported_by_name()
    {
        var (x, y) = Data(8);
        var source = Batches.FromArrays(x, y, batchSize: 4);
        var m = Small();
        Assert.Throws<ArgumentOutOfRangeException>("stepsPerEpoch", () => m.Fit(source, stepsPerEpoch: 0, verbose: 0));
        Assert.Throws<ArgumentOutOfRangeException>("validationSteps", () => m.Fit(source, validationData: source, validationSteps: -1, verbose: 0));
        Assert.Throws<ArgumentOutOfRangeException>("prefetch", () => m.Fit(source, prefetch: -1, verbose: 0));
        Assert.Throws<ArgumentOutOfRangeException>("epochs", () => m.Fit(source, epochs: -1, verbose: 0));
        var empty = Assert.Throws<ArgumentException>("batches", () => m.Fit(Array.Empty<(Tensor, Tensor)>(), verbose: 0));
        Assert.Contains("no batches", empty.Message);
        var nan = Tensor.FromArray(new float[] { 1, 2, float.NaN, 0, 0, 0 }, 2, 3);
        var bad = Assert.Throws<ArgumentException>(() => m.Fit(new[] { (x, y), (nan, Ops.Slice(y, 0, 0, 2)) }, verbose: 0));
        Assert.Contains("Fit (batch 1)", bad.Message);
        Assert.Contains("NaN", bad.Message);
        var rows = Assert.Throws<ArgumentException>(() => m.Fit(new[] { (x, Ops.Slice(y, 0, 0, 3)) }, verbose: 0));
        Assert.Contains("Fit (batch 0)", rows.Message);
    }
}
