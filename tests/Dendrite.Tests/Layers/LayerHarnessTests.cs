using Dendrite.Layers;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Layers;

public class LayerHarnessTests
{
    [Fact] public void Dense() => LayerHarness.Check(() => new Dense(5, activation: "tanh", kernelRegularizer: "l2"), [[3]], [5], 20);
    [Fact] public void Dense_without_bias_on_rank_3() => LayerHarness.Check(() => new Dense(2, useBias: false), [[4, 3]], [4, 2], 6);
    [Fact] public void Activation() => LayerHarness.Check(() => new Activation("sigmoid"), [[3]], [3], 0);
    [Fact] public void ReLU() => LayerHarness.Check(() => new ReLU(maxValue: 0.5f), [[3]], [3], 0);
    [Fact] public void LeakyReLU() => LayerHarness.Check(() => new LeakyReLU(), [[3]], [3], 0);
    [Fact] public void ELU() => LayerHarness.Check(() => new ELU(0.5f), [[3]], [3], 0);
    [Fact] public void Softmax() => LayerHarness.Check(() => new Softmax(), [[3]], [3], 0);
    [Fact] public void Flatten() => LayerHarness.Check(() => new Flatten(), [[2, 3, 2]], [12], 0);
    [Fact] public void Reshape() => LayerHarness.Check(() => new Reshape([3, -1]), [[6]], [3, 2], 0);
    [Fact] public void Dropout() => LayerHarness.Check(() => new Dropout(0.5, seed: 1), [[3]], [3], 0);

    public static TheoryData<string> MergeNames() => ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"];

    private static Layer MakeMerge(string name) => name switch
    {
        "Add" => new Add(), "Subtract" => new Subtract(), "Multiply" => new Multiply(), "Average" => new Average(),
        "Maximum" => new Maximum(), "Minimum" => new Minimum(), _ => new Concatenate(),
    };

    [Theory, MemberData(nameof(MergeNames))]
    public void Merge_layers(string name)
    {
        int[] outShape = name == "Concatenate" ? [6] : [3];
        Assert.Throws<LayerHarness.SkipTrain>(() => LayerHarness.Check(() => MakeMerge(name), [[3], [3]], outShape, 0));
        LayerHarness.TrainMulti(() => MakeMerge(name), [[3], [3]]);
    }

    [Fact]
    public void Merge_values_by_hand()
    {
        var a = Tensor.FromArray(new float[,] { { 1, 2 } });
        var b = Tensor.FromArray(new float[,] { { 3, -1 } });
        TensorAssert.Close([4f, 1f], new Add().Call([a, b]));
        TensorAssert.Close([-2f, 3f], new Subtract().Call([a, b]));
        TensorAssert.Close([3f, -2f], new Multiply().Call([a, b]));
        TensorAssert.Close([2f, 0.5f], new Average().Call([a, b]));
        TensorAssert.Close([1f, 2f, 3f, -1f], new Concatenate().Call([a, b]));
        Assert.Throws<ArgumentException>(() => new Subtract().Call([a, b, a]));
        Assert.Throws<ArgumentException>(() => new Add().Call([a, Tensor.Zeros([1, 3])]));
    }

    [Fact]
    public void A_null_activation_name_means_none()
    {
        bool last = true;
        var d = new Dense(2, activation: last ? null : "relu");
        Assert.Equal("linear", d.Activation.Name);
        Assert.Equal("relu", new Dense(2, activation: last ? "relu" : null).Activation.Name);
    }

    [Fact]
    public void Dense_matches_hand_values()
    {
        var d = new Dense(2, activation: "relu");
        d.Call(Tensor.Zeros([1, 2]));
        d.SetWeights([Tensor.FromArray(new float[,] { { 1f, -2f }, { 3f, -4f } }), Tensor.FromArray([5f, -6f])]);
        TensorAssert.Close([10f, 0f], d.Call(Tensor.FromArray(new float[,] { { -1f, 2f } })), atol: 1e-6f);
        Assert.Equal("dense", Dendrite.Layers.Layer.SnakeCase("Dense"));
        Assert.Equal("leaky_re_lu", Dendrite.Layers.Layer.SnakeCase("LeakyReLU"));
    }

    [Fact]
    public void Dropout_is_inverted_seeded_and_identity_at_inference()
    {
        var x = Tensor.Ones([1000, 10]);
        var y = new Dropout(0.3, seed: 5).Call(x, training: true).ToArray();
        var y2 = new Dropout(0.3, seed: 5).Call(x, training: true).ToArray();
        Assert.Equal(y, y2);
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - 1f / 0.7f) < 1e-6f));
        Assert.InRange(y.Count(v => v == 0f) / 10000.0, 0.28, 0.32);
        Assert.InRange(y.Average(), 0.97, 1.03);
        Assert.Equal(x.ToArray(), new Dropout(0.3, seed: 5).Call(x, training: false).ToArray());
    }

    [Fact]
    public void Names_count_per_class()
    {
        var a = new Dense(1, name: "custom");
        Assert.Equal("custom", a.Name);
        var names = Enumerable.Range(0, 3).Select(_ => new Flatten().Name).ToList();
        Assert.Equal(3, names.Distinct().Count());
        Assert.All(names, n => Assert.StartsWith("flatten", n));
    }
}
