using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving;
using Dendrite.Tests.Operations;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Layers;

/// <summary>The convolution layers: harness (shape, parameters as Keras counts them, config round trip, a training step),
/// weights in Keras layout against the PyTorch references, config keys, and errors that name the layer and the value.</summary>
public class ConvLayerTests
{
    [Fact] public void Conv2D_3x3_on_3_channels_has_896_parameters() =>
        LayerHarness.Check(() => new Conv2D(filters: 32, kernelSize: 3), [[8, 8, 3]], [6, 6, 32], 896);

    [Fact] public void Conv2D_stride_2_same_relu() =>
        LayerHarness.Check(() => new Conv2D(filters: 4, kernelSize: 3, strides: 2, padding: "same", activation: "relu"), [[7, 7, 3]], [4, 4, 4], 112);

    [Fact] public void Conv2D_dilated() =>
        LayerHarness.Check(() => new Conv2D(filters: 8, kernelSize: 2, dilationRate: 2, kernelRegularizer: "l2"), [[6, 6, 2]], [4, 4, 8], 72);

    [Fact] public void Conv2D_grouped_without_bias() =>
        LayerHarness.Check(() => new Conv2D(filters: 4, kernelSize: (3, 2), groups: 2, useBias: false), [[5, 5, 4]], [3, 4, 4], 48);

    [Fact] public void Conv1D_causal() =>
        LayerHarness.Check(() => new Conv1D(filters: 8, kernelSize: 3, strides: 1, padding: "causal"), [[7, 3]], [7, 8], 80);

    [Fact] public void Conv2DTranspose_stride_2_same() =>
        LayerHarness.Check(() => new Conv2DTranspose(filters: 4, kernelSize: 3, strides: 2, padding: "same", activation: "tanh"), [[3, 3, 2]], [6, 6, 4], 76);

    [Fact] public void DepthwiseConv2D_with_depth_multiplier() =>
        LayerHarness.Check(() => new DepthwiseConv2D(kernelSize: 3, depthMultiplier: 2), [[5, 5, 3]], [3, 3, 6], 60);

    [Fact] public void SeparableConv2D() =>
        LayerHarness.Check(() => new SeparableConv2D(filters: 4, kernelSize: 3, padding: "same", activation: "relu"), [[5, 5, 3]], [5, 5, 4], 43);

    [Fact]
    public void Weights_come_in_keras_order_and_layout()
    {
        var sep = new SeparableConv2D(filters: 5, kernelSize: (3, 2), depthMultiplier: 2);
        sep.Call(new Input([6, 6, 3]).Output);
        Assert.Equal(["separable_conv2d/depthwise_kernel", "separable_conv2d/pointwise_kernel", "separable_conv2d/bias"],
            sep.Weights.Select(w => w.Name!.Replace(sep.Name, "separable_conv2d")));
        Assert.Equal([new Shape(3, 2, 3, 2), new Shape(1, 1, 6, 5), new Shape(5)], sep.Weights.Select(w => w.Shape));
        var tr = new Conv2DTranspose(filters: 4, kernelSize: 3);
        tr.Call(new Input([5, 5, 7]).Output);
        Assert.Equal(new Shape(3, 3, 4, 7), tr.Kernel.Shape);
        var dw = new DepthwiseConv2D(kernelSize: 3, depthMultiplier: 2);
        dw.Call(new Input([5, 5, 3]).Output);
        Assert.Equal([new Shape(3, 3, 3, 2), new Shape(6)], dw.Weights.Select(w => w.Shape));
        Assert.EndsWith("/kernel", dw.Weights[0].Name);
        var c1 = new Conv1D(filters: 8, kernelSize: 5, groups: 2);
        c1.Call(new Input([10, 4]).Output);
        Assert.Equal(new Shape(5, 2, 8), c1.Kernel.Shape);
    }

    [Fact]
    public void Conv2D_layer_matches_the_pytorch_reference()
    {
        var layer = new Conv2D(filters: 4, kernelSize: 3, strides: 2, padding: "same");
        var x = ConvTests.Pattern([2, 5, 6, 3], 37, 11, 101, 50f);
        layer.Call(new Input([5, 6, 3]).Output);
        layer.SetWeights([ConvTests.Pattern([3, 3, 3, 4], 53, 7, 89, 60f), ConvTests.Pattern([4], 7, 1, 13, 10f)]);
        TensorAssert.Close(ConvReferences.Stride2SameY, layer.Call(x), atol: 1e-5f);
    }

    [Fact]
    public void A_sequential_cnn_summary_counts_parameters_like_keras()
    {
        var model = new Sequential([
            new Input(shape: [32, 32, 3]),
            new Conv2D(filters: 32, kernelSize: 3, strides: 1, padding: "same"),
            new Conv2D(filters: 32, kernelSize: 3, strides: 2, padding: "same", activation: "relu"),
            new Conv2D(filters: 8, kernelSize: 2, dilationRate: 2),
            new Flatten(),
            new Dense(10, activation: "softmax"),
        ]);
        Assert.Equal([896, 9248, 1032, 0, 10 * 14 * 14 * 8 + 10], model.Layers.Select(l => l.CountParams()));
        Assert.Equal(new Shape(14, 14, 8), model.Layers[2].ComputeOutputShape(new Shape(16, 16, 32)));
        var y = model.Predict(Tensor.RandomUniform([2, 32, 32, 3], seed: 1), verbose: 0);
        Assert.Equal(new Shape(2, 10), y.Shape);
    }

    [Fact]
    public void Config_uses_keras_keys_and_lists()
    {
        var c = new Conv2D(filters: 8, kernelSize: (3, 5), strides: 2, padding: "same", activation: "relu").GetConfig();
        Assert.Equal(["name", "trainable", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups",
            "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
            "activity_regularizer", "kernel_constraint", "bias_constraint"], c.Select(p => p.Key));
        Assert.Equal("[3,5]", c["kernel_size"]!.ToJsonString());
        Assert.Equal("[2,2]", c["strides"]!.ToJsonString());
        Assert.Equal("channels_last", (string?)c["data_format"]);
        Assert.Equal("[1]", new Conv1D(4, 3).GetConfig()["dilation_rate"]!.ToJsonString());
        var loaded = Assert.IsType<Conv1D>(LayerRegistry.FromConfig("Conv1D", new Conv1D(4, 3, padding: "causal", dilationRate: 2).GetConfig()));
        Assert.Equal(("causal", 2), (loaded.Padding, loaded.DilationRate[0]));
        var keras = System.Text.Json.Nodes.JsonNode.Parse("""
            {"name": "conv2d", "trainable": true, "filters": 3, "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid",
             "data_format": "channels_first", "dilation_rate": [1, 1], "groups": 1, "activation": "linear", "use_bias": true}
            """)!.AsObject();
        Assert.Throws<NotSupportedException>(() => LayerRegistry.FromConfig("Conv2D", keras));
    }

    public static TheoryData<string, Func<Layer>, int[], string[]> BadLayers => new()
    {
        { "bad padding", () => new Conv2D(8, 3, padding: "full", name: "c"), [5, 5, 3], ["'c'", "padding", "\"full\""] },
        { "causal in 2-D", () => new Conv2D(8, 3, padding: "causal", name: "c"), [5, 5, 3], ["'c'", "padding", "\"causal\""] },
        { "kernel larger than input", () => new Conv2D(8, 5, name: "c"), [3, 6, 3], ["'c'", "(5 with dilation) is larger than the input (3)"] },
        { "dilated kernel larger than input", () => new Conv1D(8, 3, dilationRate: 3, name: "c"), [6, 3], ["'c'", "(7 with dilation)", "(6)"] },
        { "wrong rank", () => new Conv2D(8, 3, name: "c"), [5, 3], ["'c'", "Conv2D", "rank 4", "(None, 5, 3)"] },
        { "wrong rank 1-D", () => new Conv1D(8, 3, name: "c"), [5, 5, 3], ["'c'", "Conv1D", "rank 3", "(None, 5, 5, 3)"] },
        { "groups do not divide channels", () => new Conv2D(8, 3, groups: 2, name: "c"), [5, 5, 3], ["'c'", "groups (2)", "3 channels"] },
        { "groups do not divide filters", () => new Conv2D(3, 3, groups: 2, name: "c"), [5, 5, 4], ["'c'", "groups", "filters (3)", "got 2"] },
        { "strides and dilation", () => new Conv2D(3, 3, strides: 2, dilationRate: 2, name: "c"), [9, 9, 4], ["'c'", "strides", "dilation_rate"] },
        { "zero kernel", () => new Conv2D(3, (3, 0), name: "c"), [9, 9, 4], ["'c'", "kernel_size", "(3, 0)"] },
        { "transpose rank", () => new Conv2DTranspose(3, 3, name: "c"), [9, 4], ["'c'", "rank 4"] },
        { "depthwise padding", () => new DepthwiseConv2D(3, padding: "full", name: "c"), [9, 9, 4], ["'c'", "\"full\""] },
        { "separable kernel larger than input", () => new SeparableConv2D(2, 4, name: "c"), [3, 9, 4], ["'c'", "larger than the input (3)"] },
    };

    [Theory, MemberData(nameof(BadLayers))]
    public void Bad_arguments_name_the_layer_the_argument_and_the_value(string what, Func<Layer> make, int[] input, string[] expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => make().Call(new Input(input).Output));
        foreach (var s in expected) Assert.True(e.Message.Contains(s), $"{what}: '{s}' not in: {e.Message}");
    }
}
