using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Ops;

public class UnaryOpTests
{
    internal static Tensor Apply(string name, Tensor x) => name switch
    {
        "Neg" => Dendrite.Ops.Neg(x), "Exp" => Dendrite.Ops.Exp(x), "Log" => Dendrite.Ops.Log(x), "Sqrt" => Dendrite.Ops.Sqrt(x),
        "Abs" => Dendrite.Ops.Abs(x), "Square" => Dendrite.Ops.Square(x), "Reciprocal" => Dendrite.Ops.Reciprocal(x),
        "Relu" => Dendrite.Ops.Relu(x), "Relu6" => Dendrite.Ops.Relu6(x), "LeakyRelu" => Dendrite.Ops.LeakyRelu(x, 0.2f),
        "Elu" => Dendrite.Ops.Elu(x, 1f), "Selu" => Dendrite.Ops.Selu(x), "Gelu" => Dendrite.Ops.Gelu(x),
        "GeluTanh" => Dendrite.Ops.Gelu(x, approximate: true), "Sigmoid" => Dendrite.Ops.Sigmoid(x),
        "HardSigmoid" => Dendrite.Ops.HardSigmoid(x), "Tanh" => Dendrite.Ops.Tanh(x), "Softplus" => Dendrite.Ops.Softplus(x),
        "Softsign" => Dendrite.Ops.Softsign(x), "Silu" => Dendrite.Ops.Silu(x), "Mish" => Dendrite.Ops.Mish(x),
        "Clip" => Dendrite.Ops.Clip(x, -0.5f, 0.7f), "PowScalar" => Dendrite.Ops.Pow(x, 1.5f),
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
        var w = Dendrite.Ops.Mul(Tensor.Linspace(-1f, 1.5f, y.Size), 1f);
        Dendrite.Ops.Sum(y * w).Backward();
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
    public void Step_functions_have_zero_gradient_and_reference_values()
    {
        var x = Tensor.FromArray([-2f, -0f, 0f, 0.5f]);
        x.RequiresGrad = true;
        TensorAssert.Close([0f, 1f, 1f, 1f], Dendrite.Ops.Heaviside(x));
        TensorAssert.Close([-1f, 0f, 0f, 1f], Dendrite.Ops.Sign(x));
        var y = Dendrite.Ops.Heaviside(x) + Dendrite.Ops.Sign(x) + x;
        Dendrite.Ops.Sum(y).Backward();
        TensorAssert.Close([1f, 1f, 1f, 1f], x.Grad!);
    }

    [Fact]
    public void Kinks_follow_pytorch_conventions()
    {
        var x = Tensor.FromArray([0f]);
        x.RequiresGrad = true;
        Dendrite.Ops.Sum(Dendrite.Ops.Relu(x)).Backward();
        Assert.Equal(0f, x.Grad![0]);
        x.Grad = null;
        Dendrite.Ops.Sum(Dendrite.Ops.Abs(x)).Backward();
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
        TensorAssert.Close([0f, 0f, 1f, 1f], Dendrite.Ops.Sigmoid(x));
        TensorAssert.Close([0f, 0f, 100f, 1000f], Dendrite.Ops.Softplus(x));
    }
}
