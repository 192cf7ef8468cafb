using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Onnx;
using Microsoft.ML.OnnxRuntime;
using Xunit.Sdk;

namespace Dendrite.Tests.Onnx;

/// <summary>Whole models exported and run in ONNX Runtime: outputs equal Predict to 1e-5, names come from the layers.</summary>
public class OnnxModelTests
{
    private static Sequential TrainedMlp()
    {
        var model = new Sequential([
            new Input([28, 28], name: "digits"), new Flatten(), new Dense(64, activation: "relu"), new Dropout(0.2, seed: 3),
            new Dense(32, activation: "relu"), new Dense(10, activation: "softmax", name: "probabilities"),
        ]);
        model.Compile(optimizer: "adam", loss: "categorical_crossentropy");
        var x = Tensor.RandomUniform([64, 28, 28], 0f, 1f, seed: 5);
        var y = Utils.ToCategorical(Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (float)(i % 10)).ToArray(), 64), 10);
        model.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0);
        return model;
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(21)]
    public void Trained_mlp_in_each_opset(int opset)
    {
        var model = TrainedMlp();
        OnnxCheck.MatchesPredict(model, opset, range: 1f);
        using var session = new InferenceSession(OnnxExporter.ToBytes(model, opset));
        Assert.Equal(["digits"], session.InputNames);
        Assert.Equal(["probabilities"], session.OutputNames);
    }

    [Fact]
    public void Sequential_declared_with_input_shape_and_every_activation_layer()
    {
        var model = new Sequential([
            new Dense(12, activation: "gelu", inputShape: [6]), new ReLU(maxValue: 1f), new Dense(12, activation: "mish"), new LeakyReLU(),
            new Dense(12, activation: "selu"), new ELU(0.5f), new Reshape([3, 4]), new Softmax(axis: 1), new Flatten(), new Activation("log_softmax"),
        ]);
        OnnxCheck.MatchesPredict(model);
    }

    [Fact]
    public void Functional_graph_with_merges_shared_layers_and_two_outputs()
    {
        var a = new Input([8], name: "left");
        var b = new Input([8], name: "right");
        var shared = new Dense(6, activation: "tanh", name: "shared");
        var ha = shared.Call(a);
        var hb = shared.Call(b);
        var sum = new Add().Call(ha, hb);
        var diff = new Subtract().Call(ha, hb);
        var prod = new Multiply().Call(sum, diff);
        var cat = new Concatenate(name: "joined").Call(prod, new Maximum().Call(ha, hb), new Minimum().Call(ha, hb));
        var main = new Dense(3, activation: "softmax", name: "main").Call(cat);
        var aux = new Dense(2, name: "aux").Call(new Average().Call(sum, diff, prod));
        var model = new Model([a, b], [main, aux]);
        OnnxCheck.MatchesPredict(model);
        using var session = new InferenceSession(OnnxExporter.ToBytes(model));
        Assert.Equal(["main", "aux"], session.OutputNames);
        Assert.Equal(6 * 8 + 6 + 3 * 18 + 3 + 2 * 6 + 2, model.CountParams());
    }

    [Fact]
    public void Nested_model_called_twice_shares_its_weights()
    {
        var innerIn = new Input([4]);
        var inner = new Model(innerIn, new Dense(4, activation: "sigmoid").Call(new Dense(4, activation: "silu").Call(innerIn)), name: "block");
        var x = new Input([4], name: "x");
        var h = inner.Call(inner.Call(x));
        var model = new Model(x, new Dense(2, name: "head").Call(new Add().Call(x, h)));
        OnnxCheck.MatchesPredict(model);
        var initializers = ModelConverter.Convert(model, OnnxExporter.DefaultOpset).Graph.Initializers.Select(t => t.Name);
        Assert.Equal(6, model.Weights.Count);
        Assert.Equal(model.Weights.Select(w => w.Name), initializers);      // each weight once, under its own name
    }

    [Fact]
    public void Outputs_that_are_an_input_a_dropout_or_listed_twice_get_their_own_names()
    {
        var x = new Input([3], name: "x");
        var d = new Dropout(0.3, name: "drop").Call(new Dense(3, name: "dense_out").Call(x));
        var model = new Model([x], [x, d, d]);
        OnnxCheck.MatchesPredict(model);
        using var session = new InferenceSession(OnnxExporter.ToBytes(model));
        Assert.Equal(["x_output", "drop", "drop_output"], session.OutputNames);
    }

    [Fact]
    public void The_w5_cifar_cnn_after_training_exports_with_its_moving_statistics()
    {
        // Seed 001's book's CNN (W5): 4 x [Conv2D 3x3 same, BatchNormalization, LeakyReLU], Dense 128, BN, LeakyReLU,
        // Dropout, Dense 10 softmax; one epoch moves the BN statistics away from 0 and 1 so inference semantics matter.
        var layers = new List<Layer> { new Input(shape: [32, 32, 3], name: "image") };
        foreach (var (filters, strides) in new[] { (32, 1), (32, 2), (64, 1), (64, 2) })
            layers.AddRange([new Conv2D(filters: filters, kernelSize: 3, strides: strides, padding: "same"), new BatchNormalization(), new LeakyReLU()]);
        layers.AddRange([new Flatten(), new Dense(128), new BatchNormalization(), new LeakyReLU(), new Dropout(0.5), new Dense(10, activation: "softmax")]);
        var model = new Sequential(layers);
        model.Compile(optimizer: new Dendrite.Optimizers.Adam(learningRate: 5e-4), loss: "sparse_categorical_crossentropy");
        var x = Tensor.RandomUniform([32, 32, 32, 3], 0f, 1f, seed: 7);
        var y = Tensor.FromArray(Enumerable.Range(0, 32).Select(i => (float)(i % 10)).ToArray(), 32);
        model.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0);
        var bn = (BatchNormalization)model.Layers[1];
        Assert.NotEqual(new float[32], bn.MovingMean.ToArray());
        OnnxCheck.MatchesPredict(model, range: 1f, batchSizes: [1, 3]);
    }

    [Fact]
    public void An_embedding_lstm_classifier_exports_and_reads_ids()
    {
        var ids = new Input([12], name: "tokens");
        var h = new LSTM(8, returnSequences: true).Call(new Embedding(inputDim: 50, outputDim: 6).Call(ids));
        var model = new Model(ids, new Dense(1, activation: "sigmoid", name: "positive").Call(new LSTM(4).Call(h)));
        using var session = new InferenceSession(OnnxExporter.ToBytes(model));
        Assert.Equal(["tokens"], session.InputNames);
        foreach (int batch in new[] { 1, 5 })
        {
            var rng = new RandomGenerator(batch);
            var x = Tensor.FromArray(Enumerable.Range(0, batch * 12).Select(_ => (float)rng.NextInt(50)).ToArray(), batch, 12);
            OnnxCheck.AssertClose(model.Predict(x, verbose: 0), OnnxCheck.Run(session, [x])[0], $"batch {batch}");
        }
    }

    [Fact]
    public void A_bidirectional_gru_sequence_classifier_exports()
    {
        var model = new Sequential([
            new Input([7, 5], name: "series"), new Bidirectional(new GRU(6, returnSequences: true), mergeMode: "concat"),
            new Bidirectional(new GRU(3, resetAfter: false), mergeMode: "ave"), new Dense(4, activation: "softmax"),
        ]);
        OnnxCheck.MatchesPredict(model, range: 1f);
    }

    [Fact]
    public void The_check_fails_when_the_runtime_disagrees()
    {
        var model = new Sequential([new Input([4]), new Dense(3)]);
        using var session = new InferenceSession(OnnxExporter.ToBytes(model));
        var kernel = ((Dense)model.Layers[0]).Kernel;
        kernel.AsSpan()[0] += 1e-3f;
        var x = Tensor.RandomUniform([2, 4], 0.5f, 1f, seed: 1);
        var ex = Assert.Throws<XunitException>(() => OnnxCheck.AssertClose(model.Predict(x, verbose: 0), OnnxCheck.Run(session, [x])[0], "changed kernel"));
        Assert.Contains("ONNX Runtime", ex.Message);
    }
}
