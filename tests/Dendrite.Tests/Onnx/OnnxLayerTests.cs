using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Onnx;

/// <summary>Every layer and activation, exported alone, gives ONNX Runtime the outputs of Predict (1e-5, two batch sizes).</summary>
public class OnnxLayerTests
{
    private static readonly string[] AllActivations =
    [
        "linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid", "hard_sigmoid", "hard_sigmoid_keras2", "tanh", "softplus",
        "softsign", "silu", "swish", "mish", "exponential", "softmax", "log_softmax", "heaviside", "sign",
    ];

    public static TheoryData<string> ActivationNames => new(AllActivations);

    private static Model Single(Layer layer, params int[][] inputShapes)
    {
        var inputs = inputShapes.Select(s => new Input(s)).ToList();
        var output = layer.Call(inputs.Select(i => i.Output).ToList());
        return new Model(inputs.Select(i => i.Output).ToList(), [output]);
    }

    [Theory, MemberData(nameof(ActivationNames))]
    public void Activation_layer(string name) => OnnxCheck.MatchesPredict(Single(new Activation(name), [6]));

    [Theory, MemberData(nameof(ActivationNames))]
    public void Dense_with_activation(string name) => OnnxCheck.MatchesPredict(Single(new Dense(5, activation: name), [6]), range: 1f);

    [Fact]
    public void Activation_on_a_rank_3_input() => OnnxCheck.MatchesPredict(Single(new Activation("softmax"), [3, 4]));

    [Fact]
    public void Dense_without_bias() => OnnxCheck.MatchesPredict(Single(new Dense(4, useBias: false), [6]));

    [Fact]
    public void Dense_on_a_rank_3_input_multiplies_the_last_axis() =>
        OnnxCheck.MatchesPredict(Single(new Dense(4, activation: "tanh", biasInitializer: new Dendrite.Initializers.RandomNormal()), [3, 5]));

    [Fact]
    public void Dense_without_bias_on_a_rank_3_input() => OnnxCheck.MatchesPredict(Single(new Dense(4, useBias: false), [3, 5]));

    [Theory]
    [InlineData(null, 0f)]
    [InlineData(1.5f, 0f)]
    [InlineData(null, 0.1f)]
    [InlineData(2f, 0.3f)]
    public void ReLU_layer(float? maxValue, float negativeSlope) =>
        OnnxCheck.MatchesPredict(Single(new ReLU(maxValue, negativeSlope), [8]));

    [Fact]
    public void LeakyReLU_layer() => OnnxCheck.MatchesPredict(Single(new LeakyReLU(0.25f), [8]));

    [Fact]
    public void ELU_layer() => OnnxCheck.MatchesPredict(Single(new ELU(0.7f), [8]));

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(2)]
    public void Softmax_layer(int axis) => OnnxCheck.MatchesPredict(Single(new Softmax(axis), [3, 4]));

    [Fact]
    public void Flatten_layer() => OnnxCheck.MatchesPredict(Single(new Flatten(), [2, 3, 4]));

    [Theory]
    [InlineData(new[] { 12 }, new[] { 3, -1 })]
    [InlineData(new[] { 3, 4 }, new[] { 2, 3, 2 })]
    [InlineData(new[] { 2, 3, 2 }, new[] { -1 })]
    public void Reshape_layer(int[] input, int[] target) => OnnxCheck.MatchesPredict(Single(new Reshape(target), input));

    [Fact]
    public void Dropout_is_the_identity_at_inference() => OnnxCheck.MatchesPredict(Single(new Dropout(0.5, seed: 1), [5]));

    public static TheoryData<string, int> Merges => new()
    {
        { "Add", 2 }, { "Add", 3 }, { "Subtract", 2 }, { "Multiply", 2 }, { "Multiply", 3 }, { "Average", 2 }, { "Average", 3 },
        { "Maximum", 2 }, { "Maximum", 3 }, { "Minimum", 2 }, { "Minimum", 3 },
    };

    [Theory, MemberData(nameof(Merges))]
    public void Merge_layer(string kind, int inputs)
    {
        Layer layer = kind switch
        {
            "Add" => new Add(), "Subtract" => new Subtract(), "Multiply" => new Multiply(), "Average" => new Average(),
            "Maximum" => new Maximum(), "Minimum" => new Minimum(), _ => throw new ArgumentException(kind),
        };
        OnnxCheck.MatchesPredict(Single(layer, Enumerable.Repeat(new[] { 2, 5 }, inputs).ToArray()));
    }

    [Fact]
    public void Merge_broadcasts_as_Dendrite_does() => OnnxCheck.MatchesPredict(Single(new Multiply(), [4], [1]));

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(2)]
    public void Concatenate_layer(int axis)
    {
        int[] a = [2, 3], b = axis == 1 ? [4, 3] : [2, 5];
        OnnxCheck.MatchesPredict(Single(new Concatenate(axis), a, b));
    }

    [Fact]
    public void Concatenate_three_inputs() => OnnxCheck.MatchesPredict(Single(new Concatenate(), [2], [3], [1]));

    [Theory]
    [InlineData(13)]
    [InlineData(21)]
    public void Every_activation_in_the_oldest_and_newest_opset(int opset)
    {
        var x = new Input([5]);
        var branches = AllActivations.Select(name => new Activation(name).Call(x)).ToArray();
        OnnxCheck.MatchesPredict(new Model(x, new Concatenate().Call(branches)), opset);
    }

    public static TheoryData<string, Func<Layer>, int[]> ConvLayers => new()
    {
        { "conv2d same", () => new Conv2D(4, 3, padding: "same", activation: "relu", biasInitializer: new Dendrite.Initializers.RandomNormal()), [5, 6, 3] },
        { "conv2d stride 2 same", () => new Conv2D(4, (3, 2), strides: 2, padding: "same", biasInitializer: new Dendrite.Initializers.RandomNormal()), [7, 6, 3] },
        { "conv2d dilated grouped", () => new Conv2D(4, 2, dilationRate: 2, groups: 2, useBias: false), [6, 6, 4] },
        { "conv1d causal", () => new Conv1D(3, 3, padding: "causal", dilationRate: 2, activation: "tanh"), [7, 2] },
        { "conv1d stride 2 same", () => new Conv1D(3, 4, strides: 2, padding: "same"), [7, 2] },
        { "conv2d transpose same", () => new Conv2DTranspose(3, 3, strides: 2, padding: "same", biasInitializer: new Dendrite.Initializers.RandomNormal()), [3, 4, 2] },
        { "conv2d transpose valid", () => new Conv2DTranspose(3, (4, 3), strides: (2, 1), activation: "sigmoid"), [3, 3, 2] },
        { "conv2d transpose output padding", () => new Conv2DTranspose(2, 3, strides: (2, 3), padding: "same", outputPadding: (1, 2)), [3, 2, 2] },
        { "depthwise", () => new DepthwiseConv2D(3, strides: 2, padding: "same", depthMultiplier: 2, biasInitializer: new Dendrite.Initializers.RandomNormal()), [5, 6, 3] },
        { "separable", () => new SeparableConv2D(4, 3, padding: "same", depthMultiplier: 2, activation: "relu", biasInitializer: new Dendrite.Initializers.RandomNormal()), [5, 5, 3] },
    };

    [Theory, MemberData(nameof(ConvLayers))]
    public void Convolution_layer(string what, Func<Layer> make, int[] input)
    {
        Assert.NotEmpty(what);
        OnnxCheck.MatchesPredict(Single(make(), input));
    }

    public static TheoryData<string> PoolNormLayers() =>
    [
        "MaxPooling2D", "MaxPooling2D_same", "MaxPooling1D_same", "AveragePooling2D", "AveragePooling2D_same", "AveragePooling1D_same",
        "GlobalAveragePooling2D", "GlobalAveragePooling1D_keepdims", "GlobalMaxPooling2D_keepdims", "GlobalMaxPooling1D",
        "BatchNormalization", "BatchNormalization_axis_1_no_scale", "BatchNormalization_rank_2", "LayerNormalization",
        "LayerNormalization_two_axes_no_center", "ZeroPadding2D", "Cropping2D", "UpSampling2D", "SpatialDropout2D",
    ];

    private static (Layer Layer, int[] Shape) MakePoolNorm(string name) => name switch
    {
        "MaxPooling2D" => (new MaxPooling2D(), [6, 7, 3]),
        "MaxPooling2D_same" => (new MaxPooling2D((3, 2), strides: (2, 1), padding: "same"), [5, 6, 3]),
        "MaxPooling1D_same" => (new MaxPooling1D(3, strides: 2, padding: "same"), [8, 3]),
        "AveragePooling2D" => (new AveragePooling2D(2), [6, 7, 3]),
        "AveragePooling2D_same" => (new AveragePooling2D(poolSize: 3, strides: 2, padding: "same"), [6, 7, 3]),
        "AveragePooling1D_same" => (new AveragePooling1D(2, strides: 1, padding: "same"), [7, 2]),
        "GlobalAveragePooling2D" => (new GlobalAveragePooling2D(), [4, 5, 3]),
        "GlobalAveragePooling1D_keepdims" => (new GlobalAveragePooling1D(keepDims: true), [4, 3]),
        "GlobalMaxPooling2D_keepdims" => (new GlobalMaxPooling2D(keepDims: true), [4, 5, 3]),
        "GlobalMaxPooling1D" => (new GlobalMaxPooling1D(), [4, 3]),
        "BatchNormalization" => (new BatchNormalization(), [4, 5, 3]),
        "BatchNormalization_axis_1_no_scale" => (new BatchNormalization(axis: 1, scale: false), [4, 5, 3]),
        "BatchNormalization_rank_2" => (new BatchNormalization(center: false), [6]),
        "LayerNormalization" => (new LayerNormalization(), [4, 5]),
        "LayerNormalization_two_axes_no_center" => (new LayerNormalization(axis: new[] { 2, 3 }, center: false), [3, 4, 5]),
        "ZeroPadding2D" => (new ZeroPadding2D(((1, 2), (0, 3))), [3, 4, 2]),
        "Cropping2D" => (new Cropping2D(((1, 0), (2, 1))), [5, 6, 2]),
        "UpSampling2D" => (new UpSampling2D((2, 3)), [3, 2, 2]),
        _ => (new SpatialDropout2D(0.5, seed: 1), [3, 3, 2]),
    };

    [Theory, MemberData(nameof(PoolNormLayers))]
    public void Pooling_normalization_and_spatial_layers(string name)
    {
        var (layer, shape) = MakePoolNorm(name);
        var model = Single(layer, shape);
        // Non-trivial weights and moving statistics, so the export must carry each one to its place.
        foreach (var w in layer.Weights)
        {
            var v = Tensor.RandomUniform(w.Shape, 0.5f, 1.5f, seed: w.Name!.Length);
            v.AsSpan().CopyTo(w.AsSpan());
        }
        OnnxCheck.MatchesPredict(model);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(18)]
    public void Layer_normalization_and_global_pooling_in_other_opsets(int opset)
    {
        var x = new Input([4, 5, 3]);
        var ln = new LayerNormalization(axis: new[] { -2, -1 }).Call(x);
        var gap = new GlobalAveragePooling2D().Call(ln);
        var gmp = new GlobalMaxPooling2D().Call(ln);
        OnnxCheck.MatchesPredict(new Model(x, new Concatenate().Call(gap, gmp)), opset);
    }

    public static TheoryData<string, bool, bool> Recurrents => new()
    {
        { "LSTM", false, false }, { "LSTM", true, false }, { "LSTM", true, true }, { "LSTM", false, true },
        { "GRU", false, false }, { "GRU", true, true }, { "GRU_reset_before", false, false }, { "GRU_reset_before", true, true },
        { "SimpleRNN", false, false }, { "SimpleRNN", true, true },
    };

    [Theory, MemberData(nameof(Recurrents))]
    public void Recurrent_layer(string kind, bool returnSequences, bool goBackwards)
    {
        var bias = new Dendrite.Initializers.RandomNormal(0f, 0.5f, seed: 4);
        Layer layer = kind switch
        {
            "LSTM" => new LSTM(5, returnSequences: returnSequences, goBackwards: goBackwards, biasInitializer: bias),
            "GRU" => new GRU(5, returnSequences: returnSequences, goBackwards: goBackwards, biasInitializer: bias),
            "GRU_reset_before" => new GRU(5, resetAfter: false, returnSequences: returnSequences, goBackwards: goBackwards, biasInitializer: bias),
            _ => new SimpleRNN(5, returnSequences: returnSequences, goBackwards: goBackwards, biasInitializer: bias),
        };
        OnnxCheck.MatchesPredict(Single(layer, [6, 3]), range: 1f);
    }

    [Fact]
    public void Embedding_is_a_gather_of_the_ids()
    {
        var input = new Input([4]);
        var model = new Model(input, new LSTM(3).Call(new Embedding(10, 6).Call(input)));
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Dendrite.Onnx.OnnxExporter.ToBytes(model));
        var ids = Tensor.FromArray([0f, 9f, 3f, 3f, 7f, 1f, 0f, 2f], [2, 4]);
        TensorAssert.Close(model.Predict(ids, verbose: 0), OnnxCheck.Run(session, [ids])[0], atol: 1e-5f);
    }

    [Fact]
    public void Masks_and_returned_states_do_not_export()
    {
        var input = new Input([4, 3]);
        Assert.Throws<NotSupportedException>(() => Dendrite.Onnx.OnnxExporter.ToBytes(new Model(input, new LSTM(2).Call(new Masking().Call(input)))));
        Assert.Throws<NotSupportedException>(() => Dendrite.Onnx.OnnxExporter.ToBytes(new Model(input, new GRU(2, returnState: true).Call(input))));
        var ids = new Input([4]);
        Assert.Throws<NotSupportedException>(() => Dendrite.Onnx.OnnxExporter.ToBytes(new Model(ids, new Embedding(5, 2, maskZero: true).Call(ids))));
    }
}
