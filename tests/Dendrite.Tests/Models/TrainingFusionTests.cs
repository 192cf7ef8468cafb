using Dendrite.Initializers;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Models;

/// <summary>
/// Training fuses [BatchNormalization, LeakyReLU] pairs into one op; a model trained that way ends with the same weights
/// and moving statistics as one trained layer by layer, and pairs that do not fit (another activation, a normalization
/// whose result is also used elsewhere) run as written.
/// </summary>
public class TrainingFusionTests
{
    // No biases before the normalizations: their gradient is zero up to rounding, which Adam scales to full steps, so
    // they would follow any rounding difference (another test switching kernel widths meanwhile) instead of the math.
    private static Model Build()
    {
        var input = new Input(shape: [8, 8, 3]);
        var a = new Conv2D(filters: 16, kernelSize: 3, padding: "same", useBias: false, kernelInitializer: new GlorotUniform(1)).Call(input);
        a = new LeakyReLU(0.2f).Call(new BatchNormalization().Call(a));                           // fused
        var b = new Conv2D(filters: 32, kernelSize: 3, strides: 2, padding: "same", useBias: false, kernelInitializer: new GlorotUniform(2)).Call(a);
        var normed = new BatchNormalization().Call(b);
        var side = new GlobalAveragePooling2D().Call(normed);                                         // also uses the BN result
        b = new Flatten().Call(new LeakyReLU().Call(normed));                                        // not fused
        var c = new Dense(12, useBias: false, kernelInitializer: new GlorotUniform(3)).Call(new Concatenate().Call(b, side));
        c = new LeakyReLU(0f).Call(new BatchNormalization(scale: false).Call(c));                 // fused, slope 0
        c = new ReLU().Call(new BatchNormalization().Call(c));                                      // not fused: ReLU
        var output = new Dense(3, activation: "softmax", kernelInitializer: new GlorotUniform(4)).Call(c);
        var model = new Model(input, output);
        model.Compile(optimizer: "adam", loss: "categorical_crossentropy");
        return model;
    }

    [Fact]
    public void Fused_training_ends_with_the_weights_of_layer_by_layer_training()
    {
        var x = Tensor.RandomUniform([24, 8, 8, 3], seed: 71);
        var y = Ops.OneHot(Enumerable.Range(0, 24).Select(i => i % 3).ToArray(), 3);
        var plain = Build();
        GraphPlan.FusionDisabled = true;
        try { plain.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, shuffle: false); }
        finally { GraphPlan.FusionDisabled = false; }
        var fused = Build();
        GraphPlan.TrainingFusedRuns = 0;
        fused.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, shuffle: false);
        // Two pairs fuse in each of the 6 steps (a functional model's layers are built when it is made).
        Assert.Equal(2 * 6, GraphPlan.TrainingFusedRuns);
        var (pw, fw) = (plain.Weights, fused.Weights);
        Assert.Equal(pw.Count, fw.Count);
        for (int i = 0; i < pw.Count; i++)
        {
            var (e, a) = (pw[i].ToArray(), fw[i].ToArray());
            for (int j = 0; j < e.Length; j++)
                Assert.True(MathF.Abs(e[j] - a[j]) <= 1e-5f + 1e-5f * MathF.Abs(e[j]), $"weight {i} ({pw[i].Name}) element {j}: {e[j]} layer by layer, {a[j]} fused");
        }
        // The moving statistics moved (they are among the weights compared above).
        Assert.Contains(fused.Layers.OfType<BatchNormalization>().First().MovingMean.ToArray(), v => v != 0f);
    }
}
