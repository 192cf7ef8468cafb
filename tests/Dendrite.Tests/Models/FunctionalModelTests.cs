using Dendrite.Data;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Models;

[Collection(Dendrite.Tests.TestKit.GlobalSeedCollection.Name)]
public class FunctionalModelTests
{
    [Fact]
    public void Two_inputs_two_outputs_with_a_merge_train_together()
    {
        Utils.SetRandomSeed(2);
        var a = new Input(shape: [4], name: "a");
        var b = new Input(shape: [3], name: "b");
        var h = new Concatenate().Call(new Dense(8, activation: "relu").Call(a), new Dense(8, activation: "relu").Call(b));
        var out1 = new Dense(1, name: "sum_head").Call(h);
        var out2 = new Dense(1, name: "diff_head").Call(h);
        var model = new Model([a, b], [out1, out2]);
        model.Compile(optimizer: new Dendrite.Optimizers.Adam(learningRate: 0.01), loss: "mse");
        var xa = Tensor.RandomUniform([256, 4], seed: 1);
        var xb = Tensor.RandomUniform([256, 3], seed: 2);
        var y1 = Ops.Sum(xa, [1], keepDims: true) + Ops.Sum(xb, [1], keepDims: true);
        var y2 = Ops.Sum(xa, [1], keepDims: true) - Ops.Sum(xb, [1], keepDims: true);
        var h0 = model.Evaluate([xa, xb], [y1, y2], verbose: 0)[0];
        model.Fit([xa, xb], [y1, y2], epochs: 60, batchSize: 32, verbose: 0);
        var after = model.Evaluate([xa, xb], [y1, y2], verbose: 0)[0];
        Assert.True(after < 0.02f && after < h0 / 20, $"loss {h0} -> {after}");
        var preds = model.PredictOutputs([xa, xb], verbose: 0);
        Assert.Equal(2, preds.Count);
        Assert.Equal(new Shape(256, 1), preds[1].Shape);
        Assert.Same(model.GetLayer("sum_head"), out1.Layer);
    }

    [Fact]
    public void Summary_of_a_graph_has_connected_to()
    {
        var a = new Input(shape: [4], name: "left");
        var b = new Input(shape: [4], name: "right");
        var s = new Add(name: "add_lr").Call(a, b);
        var model = new Model([a, b], [new Dense(2, name: "head").Call(s)], name: "two_inputs");
        var text = model.SummaryText();
        var lines = text.Split('\n');
        Assert.Equal("Model: \"two_inputs\"", lines[0]);
        Assert.Equal("┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓", lines[1]);
        Assert.Equal("┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃", lines[2]);
        Assert.Contains("│ left (InputLayer)   │ (None, 4)         │          0 │ -                 │", lines);
        Assert.Contains(lines, l => l.StartsWith("│ add_lr (Add)") && l.Contains("left[0][0],"));
        Assert.Contains(lines, l => l.Contains("right[0][0]"));
        Assert.Contains(" Total params: 10 (40.00 B)", lines);
        Assert.All(lines.Where(l => l.Length > 0 && !l.StartsWith(' ') && !l.StartsWith("Model")), l => Assert.Equal(76, l.Length));
    }

    [Fact]
    public void Chain_summary_matches_the_keras_layout_exactly()
    {
        var inputs = new Input(shape: [32, 32, 3]);
        var h = new Flatten(name: "flatten").Call(inputs);
        var model = new Model(inputs, new Dense(10, name: "dense").Call(h), name: "functional");
        var expected = string.Join("\n",
            "Model: \"functional\"",
            "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
            "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
            "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
            $"│ {inputs.Name + " (InputLayer)",-31} │ (None, 32, 32, 3)      │             0 │",
            "├─────────────────────────────────┼────────────────────────┼───────────────┤",
            "│ flatten (Flatten)               │ (None, 3072)           │             0 │",
            "├─────────────────────────────────┼────────────────────────┼───────────────┤",
            "│ dense (Dense)                   │ (None, 10)             │        30,730 │",
            "└─────────────────────────────────┴────────────────────────┴───────────────┘",
            " Total params: 30,730 (120.04 KB)",
            " Trainable params: 30,730 (120.04 KB)",
            " Non-trainable params: 0 (0.00 B)",
            "");
        Assert.Equal(expected, model.SummaryText());
    }

    [Fact]
    public void A_model_is_a_layer_and_nests()
    {
        var inner = new Sequential([new Input(shape: [3]), new Dense(4, activation: "relu"), new Dense(2)], name: "inner");
        var x = new Input(shape: [3]);
        var outer = new Model(x, new Dense(1).Call(inner.Call(x)));
        Assert.Equal(16 + 10 + 3, outer.CountParams());
        outer.Compile(optimizer: "adam", loss: "mse");
        var data = Tensor.RandomUniform([64, 3], seed: 3);
        var target = Ops.Sum(data, [1], keepDims: true);
        var before = inner.GetWeights()[0].ToArray();
        outer.Fit(data, target, epochs: 2, verbose: 0);
        Assert.NotEqual(before, inner.GetWeights()[0].ToArray());
        Assert.Contains("inner (Sequential)", outer.SummaryText());
    }

    [Fact]
    public void Shared_layers_share_weights()
    {
        var shared = new Dense(3);
        var a = new Input(shape: [2]);
        var b = new Input(shape: [2]);
        var model = new Model([a, b], [new Add().Call(shared.Call(a), shared.Call(b))]);
        Assert.Equal(9, model.CountParams());
        var x = Tensor.FromArray(new float[,] { { 1, 2 } });
        TensorAssert.Close(Ops.Mul(shared.Call(x), 2f), model.PredictOutputs([x, x], verbose: 0)[0], atol: 1e-6f);
        Assert.Contains("[1][0]", model.SummaryText());
    }

    [Fact]
    public void Disconnected_graphs_are_refused()
    {
        var a = new Input(shape: [2]);
        var b = new Input(shape: [2]);
        var y = new Add().Call(a, b);
        var e = Assert.Throws<ArgumentException>(() => new Model(a, y));
        Assert.Contains("Graph disconnected", e.Message);
    }

    [Fact]
    public void Sequential_add_pop_layers_and_get_layer()
    {
        var m = new Sequential();
        m.Add(new Dense(4, inputShape: [3], name: "d1"));
        m.Add(new Dense(2, name: "d2"));
        Assert.Equal(26, m.CountParams());
        m.Pop();
        Assert.Single(m.Layers);
        Assert.Equal(16, m.CountParams());
        Assert.Equal("d1", m.GetLayer(0).Name);
        Assert.Throws<ArgumentException>(() => m.GetLayer("nope"));
        var deferred = new Sequential([new Dense(3), new Dense(1)]);
        Assert.Contains("0 (unbuilt)", deferred.SummaryText());   // Keras 3's unbuilt table, not an exception
        deferred.Predict(Tensor.Zeros([2, 5]), verbose: 0);
        Assert.Equal(18 + 4, deferred.CountParams());
        Assert.DoesNotContain("unbuilt", deferred.SummaryText());
    }

    [Fact]
    public void Summary_of_an_unbuilt_sequential_is_the_Keras_3_unbuilt_table()
    {
        var m = new Sequential([new Dense(4, name: "dense_a"), new Dense(1, name: "dense_b")], name: "seq");
        const string expected =
            "Model: \"seq\"\n" +
            "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n" +
            "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n" +
            "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n" +
            "│ dense_a (Dense)                 │ ?                      │   0 (unbuilt) │\n" +
            "├─────────────────────────────────┼────────────────────────┼───────────────┤\n" +
            "│ dense_b (Dense)                 │ ?                      │   0 (unbuilt) │\n" +
            "└─────────────────────────────────┴────────────────────────┴───────────────┘\n" +
            " Total params: 0 (0.00 B)\n" +
            " Trainable params: 0 (0.00 B)\n" +
            " Non-trainable params: 0 (0.00 B)\n";
        Assert.Equal(expected, m.SummaryText());
        Assert.Equal(expected, m.Summary());
    }
}
