using Dendrite.Autodiff;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Initializers;

namespace Dendrite.Tests.Operations;

/// <summary>
/// Dense at inference multiplies by its kernel's packed panels, packed once per version of the kernel: the results equal
/// the unpacked product's, and every way of writing the kernel (an optimizer step, SetWeights, AsSpan, the indexer)
/// makes the next product repack, so stale panels are never read.
/// </summary>
public class PackedDenseTests
{
    private static Dense Built(int k, int n, string activation, int seed)
    {
        var d = new Dense(n, activation: activation, kernelInitializer: new GlorotUniform(seed), biasInitializer: new RandomNormal(seed: seed + 1));
        d.Call(Tensor.Zeros([1, k]));
        return d;
    }

    /// <summary>The layer's output under no-grad, and the same product unpacked (no cache passed).</summary>
    private static (Tensor Packed, Tensor Plain) Both(Dense d, Tensor x)
    {
        using var noGrad = GradMode.NoGrad();
        return (d.Call(x), Ops.Dense(x, d.Kernel, d.Bias, d.Activation));
    }

    private static void AssertSame(Tensor expected, Tensor actual, float tol = 1e-5f)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray();
        var a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(MathF.Abs(e[i] - a[i]) <= tol * Math.Max(1f, MathF.Abs(e[i])), $"element {i}: {e[i]} unpacked, {a[i]} packed");
    }

    [Theory]
    [InlineData(784, 256, 128, "relu")]    // whole 32-column panels
    [InlineData(300, 200, 37, "tanh")]     // an edge of 8 columns
    [InlineData(20, 10, 5, "softmax")]     // edge only
    [InlineData(64, 33, 1, "linear")]      // one row
    public void The_packed_product_equals_the_unpacked_one(int k, int n, int rows, string activation)
    {
        var d = Built(k, n, activation, 3);
        var x = Tensor.RandomNormal([rows, k], seed: 4);
        var (packed, plain) = Both(d, x);
        Assert.Equal(Dendrite.Backends.Backend.Current.Pack(d.Kernel) is null ? 0 : 1, d.PackedKernel.Packs);
        AssertSame(plain, packed);
        Both(d, x);
        Assert.True(d.PackedKernel.Packs <= 1, $"{d.PackedKernel.Packs} packs of one version");
    }

    public static TheoryData<string> Writers => ["SetWeights", "AsSpan", "Indexer", "Optimizer", "LoadWeights", "DetachedView", "ReshapedView", "ViewOfAView"];

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_write_to_the_kernel_is_seen_by_the_next_prediction(string writer)
    {
        if (Dendrite.Backends.Backend.Current.Pack(Tensor.Zeros([2, 2])) is null) return;   // no packed layout on this machine: nothing to go stale
        var m = new Sequential([new Input(shape: [40]), new Dense(64, activation: "relu", kernelInitializer: new GlorotUniform(6)), new Dense(3, kernelInitializer: new GlorotUniform(7))]);
        m.Compile(optimizer: new Dendrite.Optimizers.SGD(learningRate: 0.5), loss: "mse");
        var x = Tensor.RandomNormal([64, 40], seed: 8);
        var before = m.Predict(x, batchSize: 32, verbose: 0);
        var dense = (Dense)m.Layers[0];
        Assert.True(dense.PackedKernel.Packs >= 1);
        var kernel = dense.Kernel;
        switch (writer)
        {
            case "SetWeights":
                dense.SetWeights([Tensor.RandomNormal(kernel.Shape, seed: 9), dense.Bias!.Clone()]);
                break;
            case "AsSpan":
                kernel.AsSpan()[0] += 10f;
                break;
            case "Indexer":
                kernel[0, 0] = kernel[0, 0] + 10f;
                break;
            case "Optimizer":
                m.Fit(x, Tensor.RandomNormal([64, 3], seed: 10), batchSize: 64, epochs: 1, verbose: 0, shuffle: false);
                break;
            case "DetachedView":   // another tensor object over the kernel's buffer
                kernel.Detach().AsSpan()[0] += 10f;
                break;
            case "ReshapedView":
                using (GradMode.NoGrad()) kernel.Reshape(-1)[5] += 10f;
                break;
            case "ViewOfAView":
                kernel.Detach().Reshape(-1).Detach().AsSpan()[7] -= 10f;
                break;
            case "LoadWeights":
                var other = new Sequential([new Input(shape: [40]), new Dense(64, activation: "relu", kernelInitializer: new GlorotUniform(16)), new Dense(3, kernelInitializer: new GlorotUniform(17))]);
                m.SetWeights(other.GetWeights());
                break;
        }
        var after = m.Predict(x, batchSize: 32, verbose: 0);
        // The reference: the same weights in a model that never packed anything.
        var fresh = new Sequential([new Input(shape: [40]), new Dense(64, activation: "relu"), new Dense(3)]);
        fresh.SetWeights(m.GetWeights());
        Tensor expected;
        using (GradMode.NoGrad())
        using (TensorScope.Begin())
            expected = fresh.Call(x, training: false).Clone();
        AssertSame(expected, after);
        Assert.True(MathF.Abs(before.ToArray().Zip(after.ToArray(), (a, b) => MathF.Abs(a - b)).Max()) > 1e-3f, "the write changed nothing");
    }

    [Fact]
    public void Views_of_one_buffer_share_one_version()
    {
        var w = Tensor.RandomNormal([4, 6], seed: 12);
        var view = w.Detach().Reshape(24);
        int v0 = w.Version;
        view.AsSpan()[0] = 1f;
        Assert.NotEqual(v0, w.Version);
        int v1 = view.Version;
        w[1, 1] = 2f;
        Assert.NotEqual(v1, view.Version);
        Assert.Equal(w.Version, view.Version);
        var copy = w.Clone();   // a copy has its own buffer and its own version
        int c0 = copy.Version;
        w.AsSpan()[0] = 3f;
        Assert.Equal(c0, copy.Version);
    }

    [Fact]
    public void Many_predictions_with_unchanged_weights_pack_once()
    {
        if (Dendrite.Backends.Backend.Current.Pack(Tensor.Zeros([2, 2])) is null) return;
        var m = new Sequential([new Input(shape: [100]), new Dense(96, activation: "relu"), new Dense(10, activation: "softmax")]);
        m.Compile(optimizer: "adam", loss: "categorical_crossentropy");
        var x = Tensor.RandomNormal([1000, 100], seed: 11);
        for (int i = 0; i < 3; i++) m.Predict(x, batchSize: 128, verbose: 0);
        m.Evaluate(x, Ops.OneHot(Enumerable.Range(0, 1000).Select(r => r % 10).ToArray(), 10), batchSize: 128, verbose: 0);
        foreach (var d in m.Layers.OfType<Dense>()) Assert.Equal(1, d.PackedKernel.Packs);
    }
}
