// Lists every op of tools/gen_kernels.py; add a line here when an op is added there.
using Dendrite.Backends.Cpu.Kernels;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Backends;

/// <summary>Every kernel, every length 0..256, every vector width: the driver agrees with a scalar loop of the same op.</summary>
public class KernelSweepTests
{
    public static TheoryData<int> Lengths()
    {
        var d = new TheoryData<int>();
        for (int n = 0; n <= 256; n++) d.Add(n);
        return d;
    }

    private static float[] Data(int n, int seed, float lo, float hi) => Tensor.RandomUniform([n], lo, hi, seed: seed).ToArray();

    private static void Unary<T>(T op, int n, bool positive, string name) where T : struct, IUnaryOp
    {
        var x = positive ? Data(n, 1, 0.01f, 8f) : Data(n, 1, -8f, 8f);
        var expected = new float[n];
        for (int i = 0; i < n; i++) expected[i] = op.Invoke(x[i]);
        foreach (int bits in new[] { 512, 256, 0 })
        {
            var y = new float[n];
            SimdDriver.Unary(op, x, y, bits);
            TensorAssert.Close(expected, y, atol: 1e-6f, rtol: 1e-5f, what: $"{name} n={n} bits={bits}");
        }
    }

    private static void Grad<T>(T op, int n, bool positive, string name) where T : struct, IUnaryGradOp
    {
        var x = positive ? Data(n, 2, 0.01f, 8f) : Data(n, 2, -8f, 8f);
        var y = Data(n, 3, 0.05f, 0.95f);
        var dy = Data(n, 4, -2f, 2f);
        var expected = new float[n];
        for (int i = 0; i < n; i++) expected[i] = op.Invoke(x[i], y[i], dy[i]);
        foreach (int bits in new[] { 512, 256, 0 })
        {
            var dx = new float[n];
            SimdDriver.UnaryGrad(op, x, y, dy, dx, bits);
            TensorAssert.Close(expected, dx, atol: 1e-6f, rtol: 1e-5f, what: $"{name} grad n={n} bits={bits}");
        }
    }

    private static void Binary<T>(T op, int n, string name) where T : struct, IBinaryOp
    {
        var a = Data(n, 5, 0.1f, 4f);
        var b = Data(n, 6, -3f, 3f);
        if (n > 2) b[n / 2] = a[n / 2]; // exercise equality
        float s = n > 0 ? b[0] : 1f;
        var expected = new float[n];
        var expectedRight = new float[n];
        var expectedLeft = new float[n];
        for (int i = 0; i < n; i++) { expected[i] = op.Invoke(a[i], b[i]); expectedRight[i] = op.Invoke(a[i], s); expectedLeft[i] = op.Invoke(s, a[i]); }
        foreach (int bits in new[] { 512, 256, 0 })
        {
            var y = new float[n];
            SimdDriver.Binary(op, a, b, y, bits);
            TensorAssert.Close(expected, y, atol: 1e-6f, rtol: 1e-5f, what: $"{name} n={n} bits={bits}");
            SimdDriver.BinaryScalarRight(op, a, s, y, bits);
            TensorAssert.Close(expectedRight, y, atol: 1e-6f, rtol: 1e-5f, what: $"{name} (scalar right) n={n} bits={bits}");
            SimdDriver.BinaryScalarLeft(op, s, a, y, bits);
            TensorAssert.Close(expectedLeft, y, atol: 1e-6f, rtol: 1e-5f, what: $"{name} (scalar left) n={n} bits={bits}");
        }
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Unary_kernels_agree_with_scalar_loop(int n)
    {
        Unary(new NegOp(), n, false, "Neg");
        Unary(new ExpOp(), n, false, "Exp");
        Unary(new LogOp(), n, true, "Log");
        Unary(new SqrtOp(), n, true, "Sqrt");
        Unary(new AbsOp(), n, false, "Abs");
        Unary(new SquareOp(), n, false, "Square");
        Unary(new ReciprocalOp(), n, true, "Reciprocal");
        Unary(new ReluOp(), n, false, "Relu");
        Unary(new Relu6Op(), n, false, "Relu6");
        Unary(new LeakyReluOp(0.2f), n, false, "LeakyRelu");
        Unary(new EluOp(1f), n, false, "Elu");
        Unary(new SeluOp(), n, false, "Selu");
        Unary(new GeluOp(), n, false, "Gelu");
        Unary(new GeluTanhOp(), n, false, "GeluTanh");
        Unary(new SigmoidOp(), n, false, "Sigmoid");
        Unary(new HardSigmoidOp(), n, false, "HardSigmoid");
        Unary(new HardSigmoidKeras2Op(), n, false, "HardSigmoidKeras2");
        Unary(new TanhOp(), n, false, "Tanh");
        Unary(new SoftplusOp(), n, false, "Softplus");
        Unary(new SoftsignOp(), n, false, "Softsign");
        Unary(new SiluOp(), n, false, "Silu");
        Unary(new MishOp(), n, false, "Mish");
        Unary(new HeavisideOp(), n, false, "Heaviside");
        Unary(new SignOp(), n, false, "Sign");
        Unary(new ClipOp(-0.5f, 0.7f), n, false, "Clip");
        Unary(new AddScalarOp(1.5f), n, false, "AddScalar");
        Unary(new MulScalarOp(-2f), n, false, "MulScalar");
        Unary(new PowScalarOp(1.5f), n, true, "PowScalar");
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Gradient_kernels_agree_with_scalar_loop(int n)
    {
        Grad(new NegGradOp(), n, false, "Neg");
        Grad(new ExpGradOp(), n, false, "Exp");
        Grad(new LogGradOp(), n, true, "Log");
        Grad(new SqrtGradOp(), n, true, "Sqrt");
        Grad(new AbsGradOp(), n, false, "Abs");
        Grad(new SquareGradOp(), n, false, "Square");
        Grad(new ReciprocalGradOp(), n, true, "Reciprocal");
        Grad(new ReluGradOp(), n, false, "Relu");
        Grad(new Relu6GradOp(), n, false, "Relu6");
        Grad(new LeakyReluGradOp(0.2f), n, false, "LeakyRelu");
        Grad(new EluGradOp(1f), n, false, "Elu");
        Grad(new SeluGradOp(), n, false, "Selu");
        Grad(new GeluGradOp(), n, false, "Gelu");
        Grad(new GeluTanhGradOp(), n, false, "GeluTanh");
        Grad(new SigmoidGradOp(), n, false, "Sigmoid");
        Grad(new HardSigmoidGradOp(), n, false, "HardSigmoid");
        Grad(new HardSigmoidKeras2GradOp(), n, false, "HardSigmoidKeras2");
        Grad(new TanhGradOp(), n, false, "Tanh");
        Grad(new SoftplusGradOp(), n, false, "Softplus");
        Grad(new SoftsignGradOp(), n, false, "Softsign");
        Grad(new SiluGradOp(), n, false, "Silu");
        Grad(new MishGradOp(), n, false, "Mish");
        Grad(new ClipGradOp(-0.5f, 0.7f), n, false, "Clip");
        Grad(new MulScalarGradOp(-2f), n, false, "MulScalar");
        Grad(new PowScalarGradOp(1.5f), n, true, "PowScalar");
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Binary_kernels_agree_with_scalar_loop(int n)
    {
        Binary(new AddOp(), n, "Add");
        Binary(new SubOp(), n, "Sub");
        Binary(new MulOp(), n, "Mul");
        Binary(new DivOp(), n, "Div");
        Binary(new PowOp(), n, "Pow");
        Binary(new MinimumOp(), n, "Minimum");
        Binary(new MaximumOp(), n, "Maximum");
        Binary(new GreaterOp(), n, "Greater");
        Binary(new GreaterEqualOp(), n, "GreaterEqual");
        Binary(new LessOp(), n, "Less");
        Binary(new LessEqualOp(), n, "LessEqual");
        Binary(new EqualOp(), n, "Equal");
        Binary(new NotEqualOp(), n, "NotEqual");
        Binary(new SigmoidCrossEntropyOp(), n, "SigmoidCrossEntropy");
        Binary(new SigmoidCrossEntropyGradOp(), n, "SigmoidCrossEntropyGrad");
    }

    [Fact]
    public void Drivers_reject_mismatched_lengths()
    {
        Assert.Throws<ArgumentException>(() => SimdDriver.Unary(new ReluOp(), new float[4], new float[3]));
        Assert.Throws<ArgumentException>(() => SimdDriver.Binary(new AddOp(), new float[4], new float[5], new float[4]));
        Assert.Throws<ArgumentException>(() => SimdDriver.Binary(new AddOp(), new float[4], new float[4], new float[3]));
        Assert.Throws<ArgumentException>(() => SimdDriver.UnaryGrad(new ReluGradOp(), new float[4], new float[4], new float[3], new float[4]));
    }
}
