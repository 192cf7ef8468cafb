using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Tests.Layers;

/// <summary>Keras's initializer formulas (VarianceScaling) and regularizer penalties, checked on large samples and by hand.</summary>
public class InitializerAndRegularizerTests
{
    private static (double Min, double Max, double Std) Stats(Tensor t)
    {
        var v = t.ToArray();
        double mean = v.Average();
        return (v.Min(), v.Max(), Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average()));
    }

    [Theory]
    [InlineData("glorot_uniform", 400, 600, 0.0)]  // limit sqrt(6 / (400 + 600))
    [InlineData("he_uniform", 400, 600, 0.0)]      // limit sqrt(6 / 400)
    [InlineData("lecun_uniform", 400, 600, 0.0)]   // limit sqrt(3 / 400)
    public void Uniform_limits_follow_keras(string name, int fanIn, int fanOut, double unused)
    {
        _ = unused;
        double limit = name switch { "glorot_uniform" => Math.Sqrt(6.0 / (fanIn + fanOut)), "he_uniform" => Math.Sqrt(6.0 / fanIn), _ => Math.Sqrt(3.0 / fanIn) };
        var (min, max, std) = Stats(Initializer.Get(name).Create([fanIn, fanOut]));
        // Samples lie within the float32 limit the initializer samples between (as in Keras), which can be one float
        // step beyond the float64 one.
        double bound = (float)limit;
        Assert.InRange(max, limit * 0.99, bound);
        Assert.InRange(min, -bound, -limit * 0.99);
        Assert.InRange(std, limit / Math.Sqrt(3) * 0.98, limit / Math.Sqrt(3) * 1.02);
    }

    [Theory]
    [InlineData("he_normal", 2.0)]
    [InlineData("glorot_normal", 1.0)]
    [InlineData("lecun_normal", 1.0)]
    public void Truncated_normals_have_the_keras_stddev(string name, double scale)
    {
        int fanIn = 500, fanOut = 300;
        double fan = name == "glorot_normal" ? (fanIn + fanOut) / 2.0 : fanIn;
        double target = Math.Sqrt(scale / fan);   // Keras divides by 0.8796 so the truncated samples have this stddev
        var (min, max, std) = Stats(Initializer.Get(name).Create([fanIn, fanOut]));
        Assert.InRange(std, target * 0.98, target * 1.02);
        double cut = 2 * target / 0.87962566103423978;
        Assert.True(max <= cut && min >= -cut);
    }

    [Fact]
    public void Orthogonal_rows_or_columns_are_orthonormal()
    {
        foreach (int[] shape in new[] { new[] { 6, 4 }, new[] { 3, 5 } })
        {
            var q = new Orthogonal(gain: 2f, seed: 1).Create(shape).ToArray2D();
            int r = shape[0], c = shape[1];
            bool cols = r >= c;
            int n = cols ? c : r;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    double dot = 0;
                    for (int k = 0; k < (cols ? r : c); k++) dot += cols ? q[k, i] * q[k, j] : q[i, k] * q[j, k];
                    Assert.Equal(i == j ? 4.0 : 0.0, dot, 4);
                }
        }
    }

    [Fact]
    public void Seeded_initializers_repeat_and_constants_fill()
    {
        Assert.Equal(new GlorotUniform(seed: 3).Create([5, 5]).ToArray(), new GlorotUniform(seed: 3).Create([5, 5]).ToArray());
        Assert.All(new Constant(0.25f).Create([3]).ToArray(), v => Assert.Equal(0.25f, v));
        Assert.All(new Zeros().Create([3]).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(new Ones().Create([3]).ToArray(), v => Assert.Equal(1f, v));
        Assert.InRange(Stats(new RandomNormal(seed: 1).Create([100, 100])).Std, 0.049, 0.051);
        var u = Stats(new RandomUniform(seed: 1).Create([100, 100]));
        Assert.True(u.Min >= -0.05 && u.Max <= 0.05);
        Assert.Throws<ArgumentException>(() => Initializer.Get("xavier"));
    }

    [Fact]
    public void Regularizers_follow_keras_formulas()
    {
        var w = Tensor.FromArray([1f, -2f, 3f]);
        Assert.Equal(0.01f * 6f, new L1().Penalty(w).Item(), 6);
        Assert.Equal(0.01f * 14f, new L2().Penalty(w).Item(), 6);
        Assert.Equal(0.1f * 6f + 0.2f * 14f, new L1L2(0.1, 0.2).Penalty(w).Item(), 5);
        Assert.IsType<L2>(Regularizer.Get("l2"));
    }

    [Fact]
    public void Kernel_regularizer_adds_to_the_training_loss()
    {
        var model = new Dendrite.Models.Sequential([new Dendrite.Layers.Input(shape: [2]), new Dendrite.Layers.Dense(1, kernelRegularizer: new L2(0.5), useBias: false)]);
        model.SetWeights([Tensor.FromArray([1f, 2f], 2, 1)]);
        model.Compile(optimizer: "sgd", loss: "mse");
        var x = Tensor.Zeros([3, 2]);
        var y = Tensor.Zeros([3, 1]);
        Assert.Equal(0.5f * 5f, model.Evaluate(x, y, verbose: 0)[0], 5);   // mse 0 + 0.5 * (1 + 4)
    }
}
