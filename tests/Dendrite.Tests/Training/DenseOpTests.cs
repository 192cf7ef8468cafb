using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Training;

/// <summary>The fused dense op (GEMM, bias and activation in one op) against PyTorch and finite differences.</summary>
public class DenseOpTests
{
    private static readonly float[] X = [0.5f, -1f, 2f, 1.5f, 0.25f, -0.75f];
    private static readonly float[] W = [0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, -0.7f, 0.8f, 0.9f, -1f, 0.15f, -0.25f];
    private static readonly float[] Bias = [0.05f, -0.1f, 0.2f, -0.3f];
    private static readonly float[] Seed = [1f, -2f, 0.5f, 3f, -1.5f, 0.25f, 2f, -0.5f];

    // torch: y = act(x @ W + b); (y * seed).sum().backward()
    public static TheoryData<string, float[], float[], float[], float[]> References => new()
    {
        { "relu", [2.3999998569488525f, 0f, 1.3500001430511475f, 0f, 0f, 0.5f, 0.36250001192092896f, 0.6875f],
          [0.25f, -0.8500000238418579f, 0.9749999642372131f, 0.3500000238418579f, -1.649999976158142f, 0.17500001192092896f],
          [0.5f, 0.375f, 3.25f, -0.75f, -1f, 0.0625f, 0f, -0.125f, 2f, -0.1875f, -0.5f, 0.375f],
          [1f, 0.25f, 2.5f, -0.5f] },
        { "tanh", [0.9836748242378235f, -0.9926314949989319f, 0.8740532994270325f, -0.8853516578674316f, -0.5370495319366455f, 0.46211716532707214f, 0.34741419553756714f, 0.5963735580444336f],
          [0.30389904975891113f, 0.4023439288139343f, -0.08590114116668701f, 0.2526552975177765f, -0.8371096849441528f, -0.8129084706306458f],
          [-1.5848579406738281f, 0.2802351713180542f, 2.69691801071167f, -0.15902528166770935f, -0.29922547936439514f, 0.07851841300725937f, 0.32163628935813904f, -0.728999674320221f, 0.8652926087379456f, -0.2061898112297058f, -1.082924246788025f, 1.5385416746139526f],
          [-1.0349828004837036f, 0.1672464907169342f, 1.876622200012207f, 0.32628804445266724f] },
    };

    [Theory]
    [MemberData(nameof(References))]
    public void Forward_and_gradients_match_torch(string activation, float[] y, float[] dx, float[] dw, float[] db)
    {
        var x = Tensor.FromArray(X, 2, 3);
        var w = Tensor.FromArray(W, 3, 4);
        var b = Tensor.FromArray(Bias);
        foreach (var t in new[] { x, w, b }) t.RequiresGrad = true;
        var output = Ops.Dense(x, w, b, Activations.Get(activation));
        TensorAssert.Close(y, output, 1e-6f, 1e-6f, "y");
        output.Backward(Tensor.FromArray(Seed, 2, 4));
        TensorAssert.Close(dx, x.Grad!, 1e-6f, 1e-5f, "dx");
        TensorAssert.Close(dw, w.Grad!, 1e-6f, 1e-5f, "dW");
        TensorAssert.Close(db, b.Grad!, 1e-6f, 1e-5f, "db");
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("sigmoid")]
    [InlineData("softmax")]
    [InlineData("linear")]
    [InlineData("elu")]
    public void Gradients_pass_the_finite_difference_check(string activation)
    {
        // Rank 3 input: the batch axes fold into the GEMM's rows.
        var x = Tensor.RandomUniform([2, 3, 4], -1f, 1f, seed: 7);
        var w = Tensor.RandomUniform([4, 5], -1f, 1f, seed: 8);
        var b = Tensor.RandomUniform([5], -1f, 1f, seed: 9);
        GradCheck.Check(t => Ops.Dense(t[0], t[1], t[2], Activations.Get(activation)), [x, w, b], what: "dense " + activation);
        GradCheck.Check(t => Ops.Dense(t[0], t[1], null, Activations.Get(activation)), [x, w], what: "dense without bias " + activation);
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("softmax")]
    [InlineData("gelu")]
    public void Fused_equals_the_composition_of_its_ops(string activation)
    {
        var fn = Activations.Get(activation);
        var custom = new ActivationFunction("custom", t => Ops.Mul(Ops.Tanh(t), 2f));
        foreach (var f in new[] { fn, custom })
        {
            Tensor[] Run(bool unfused)
            {
                var x = Tensor.RandomUniform([6, 4], -1f, 1f, seed: 3);
                var w = Tensor.RandomUniform([4, 3], -1f, 1f, seed: 4);
                var b = Tensor.RandomUniform([3], -1f, 1f, seed: 5);
                foreach (var t in new[] { x, w, b }) t.RequiresGrad = true;
                Ops.UnfusedDense = unfused;
                try
                {
                    var y = Ops.Dense(x, w, b, f);
                    Ops.Sum(Ops.Mul(y, Tensor.RandomUniform([6, 3], -1f, 1f, seed: 6))).Backward();
                    return [y.Detach(), x.Grad!, w.Grad!, b.Grad!];
                }
                finally { Ops.UnfusedDense = false; }
            }
            var fused = Run(false);
            var plain = Run(true);
            for (int i = 0; i < fused.Length; i++) TensorAssert.Close(plain[i], fused[i], 1e-6f, 1e-5f, $"{f.Name} result {i}");
        }
    }

    [Fact]
    public void Mismatched_shapes_are_refused_with_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Ops.Dense(Tensor.Zeros([2, 3]), Tensor.Zeros([4, 5])));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(4, 5)", e.Message);
        var eb = Assert.Throws<ArgumentException>(() => Ops.Dense(Tensor.Zeros([2, 4]), Tensor.Zeros([4, 5]), Tensor.Zeros([3])));
        Assert.Contains("(3,)", eb.Message);
    }
}
