using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Models;

/// <summary>The ImdbSentiment model end to end on a toy task, and its Keras-style summary.</summary>
[Collection(GlobalSeedCollection.Name)]
public class SequenceModelTests
{
    [Fact]
    public void Summary_rows_and_params_are_keras_s()
    {
        var model = new Sequential([
            new Input(shape: [200]),
            new Embedding(inputDim: 20000, outputDim: 128, name: "embedding"),
            new Bidirectional(new LSTM(units: 64), mergeMode: "concat", name: "bidirectional"),
            new RepeatVector(3, name: "repeat_vector"),
            new TimeDistributed(new Dense(2), name: "time_distributed"),
        ]);
        string text = model.SummaryText();
        Assert.Contains("│ bidirectional (Bidirectional)   │ (None, 128)            │        98,816 │", text);   // 2 x 4 x 64 x (128 + 64 + 1)
        Assert.Contains("│ repeat_vector (RepeatVector)    │ (None, 3, 128)         │             0 │", text);
        Assert.Contains("│ time_distributed                │ (None, 3, 2)           │           258 │", text);
        Assert.Contains("Total params: 2,659,074", text);
    }

    [Fact]
    public void Embedding_bidirectional_lstm_learns_which_reviews_hold_a_positive_word()
    {
        // Label 1 when word 5 appears anywhere in a review (ids 3..19); sequences of varied length, padded as Keras pads.
        Utils.SetRandomSeed(7);
        var rng = new System.Random(3);
        var seqs = new int[240][];
        var labels = new float[seqs.Length];
        for (int i = 0; i < seqs.Length; i++)
        {
            seqs[i] = Enumerable.Range(0, rng.Next(3, 12)).Select(_ => rng.Next(6, 20)).ToArray();
            if (i % 2 == 0) { seqs[i][rng.Next(seqs[i].Length)] = 5; labels[i] = 1; }
        }
        var x = Utils.PadSequences(seqs, maxlen: 10);
        var y = Tensor.FromArray(labels, [labels.Length, 1]);
        var model = new Sequential([
            new Input(shape: [10]),
            new Embedding(inputDim: 20, outputDim: 8),
            new Bidirectional(new LSTM(units: 8)),
            new Dense(1, activation: "sigmoid"),
        ]);
        model.Compile(optimizer: new Dendrite.Optimizers.Adam(learningRate: 0.02), loss: "binary_crossentropy", metrics: ["accuracy"]);
        model.Fit(x, y, batchSize: 16, epochs: 12, verbose: 0);
        float accuracy = model.EvaluateToDictionary(x, y, verbose: 0)["accuracy"];
        Assert.True(accuracy >= 0.95f, $"accuracy {accuracy}");
    }
}
