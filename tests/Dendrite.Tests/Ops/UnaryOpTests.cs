using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Operations;

public class UnaryOpTests
{
    internal static Tensor Apply(string name, Tensor x) => name switch
    {
        "Neg" => Ops.Neg(x), "Exp" => Ops.Exp(x), "Log" => Ops.Log(x), "Sqrt" => Ops.Sqrt(x),
        "Abs" => Ops.Abs(x), "Square" => Ops.Square(x), "Reciprocal" => Ops.Reciprocal(x),
        "Relu" => Ops.Relu(x), "Relu6" => Ops.Relu6(x), "LeakyRelu" => Ops.LeakyRelu(x, 0.2f),
        "Elu" => Ops.Elu(x, 1f), "Selu" => Ops.Selu(x), "Gelu" => Ops.Gelu(x),
        "GeluTanh" => Ops.Gelu(x, approximate: true), "Sigmoid" => Ops.Sigmoid(x),
        "HardSigmoid" => Ops.HardSigmoid(x), "Tanh" => Ops.Tanh(x), "Softplus" => Ops.Softplus(x),
        "Softsign" => Ops.Softsign(x), "Silu" => Ops.Silu(x), "Mish" => Ops.Mish(x),
        "Clip" => Ops.Clip(x, -0.5f, 0.7f), "PowScalar" => Ops.Pow(x, 1.5f),
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var c in OpReferences.Unary) d.Add(c.Name);
        return d;
    }

    [Theory, MemberData(nameof(Names))]
    public void Forward_and_gradient_match_pytorch(string name)
    {
        var c = OpReferences.Unary.Single(r => r.Name == name);
        var x = Tensor.FromArray(c.X);
        x.RequiresGrad = true;
        var y = Apply(name, x);
        TensorAssert.Close(c.Y, y, atol: 1e-6f, rtol: 2e-6f, what: name + " forward");
        var w = Ops.Mul(Tensor.Linspace(-1f, 1.5f, y.Size), 1f);
        Ops.Sum(y * w).Backward();
        TensorAssert.Close(c.Grad, x.Grad!, atol: 2e-6f, rtol: 2e-6f, what: name + " gradient");
    }

    [Theory, MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name)
    {
        // Points away from every kink (0, +-3, 6, clip bounds) so central differences are valid.
        float[] xs = name is "Log" or "Sqrt" or "Reciprocal" or "PowScalar"
            ? [0.2f, 0.55f, 1.3f, 2.2f, 3.7f]
            : [-4.1f, -2.6f, -1.1f, -0.33f, 0.21f, 0.9f, 1.7f, 2.4f, 4.4f, 6.8f];
        GradCheck.Check(t => Apply(name, t[0]), [Tensor.FromArray(xs)], what: name);
    }

    [Fact]
    public void Keras_2_hard_sigmoid_has_slope_one_fifth_and_saturates_at_2_5()
    {
        // clip(0.2 x + 0.5, 0, 1), worked by hand; Keras 3's hard sigmoid (slope 1/6) gives 0, 1/12, 0.5, 2/3, 11/12, 1.
        var x = Tensor.FromArray([-3f, -2.5f, 0f, 1f, 2.5f, 3f, -1f, 0.5f]);
        TensorAssert.Close([0f, 0f, 0.5f, 0.7f, 1f, 1f, 0.3f, 0.6f], Ops.HardSigmoidKeras2(x), atol: 1e-7f, rtol: 0f);
        TensorAssert.Close([0f, 1f / 12f, 0.5f, 2f / 3f, 11f / 12f, 1f, 1f / 3f, 7f / 12f], Ops.HardSigmoid(x), atol: 1e-7f, rtol: 0f);
        Assert.Same(Activations.HardSigmoidKeras2, Activations.Get("hard_sigmoid_keras2"));
        Assert.Same(Activations.HardSigmoid, Activations.Get("hard_sigmoid"));

        x.RequiresGrad = true;
        Ops.Sum(Ops.HardSigmoidKeras2(x) * Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f])).Backward();
        TensorAssert.Close([0f, 0f, 0.6f, 0.8f, 0f, 0f, 1.4f, 1.6f], x.Grad!, atol: 1e-7f, rtol: 0f);
    }

    [Fact]
    public void Keras_2_hard_sigmoid_gradient_matches_finite_differences() =>
        // Away from the kinks at +-2.5.
        GradCheck.Check(t => Ops.HardSigmoidKeras2(t[0]), [Tensor.FromArray([-4.1f, -2.6f, -2.4f, -1.1f, -0.33f, 0.21f, 0.9f, 1.7f, 2.4f, 2.6f, 4.4f])],
            atol: 1e-4, rtol: 1e-3, what: "HardSigmoidKeras2");

    [Fact]
    public void Step_functions_have_zero_gradient_and_reference_values()
    {
        var x = Tensor.FromArray([-2f, -0f, 0f, 0.5f]);
        x.RequiresGrad = true;
        TensorAssert.Close([0f, 1f, 1f, 1f], Ops.Heaviside(x));
        TensorAssert.Close([-1f, 0f, 0f, 1f], Ops.Sign(x));
        var y = Ops.Heaviside(x) + Ops.Sign(x) + x;
        Ops.Sum(y).Backward();
        TensorAssert.Close([1f, 1f, 1f, 1f], x.Grad!);
    }

    [Fact]
    public void Kinks_follow_pytorch_conventions()
    {
        var x = Tensor.FromArray([0f]);
        x.RequiresGrad = true;
        Ops.Sum(Ops.Relu(x)).Backward();
        Assert.Equal(0f, x.Grad![0]);
        x.Grad = null;
        Ops.Sum(Ops.Abs(x)).Backward();
        Assert.Equal(0f, x.Grad![0]);
    }

    [Fact]
    public void Activations_stay_finite_for_huge_inputs()
    {
        var x = Tensor.FromArray([-1000f, -100f, 100f, 1000f]);
        foreach (var name in new[] { "Sigmoid", "Tanh", "Softplus", "Softsign", "Silu", "Gelu", "GeluTanh", "Elu", "Selu", "Mish" })
        {
            var y = Apply(name, x);
            Assert.All(y.ToArray(), v => Assert.True(float.IsFinite(v), $"{name} gave {v}"));
        }
        TensorAssert.Close([0f, 0f, 1f, 1f], Ops.Sigmoid(x));
        TensorAssert.Close([0f, 0f, 100f, 1000f], Ops.Softplus(x));
    }
}
