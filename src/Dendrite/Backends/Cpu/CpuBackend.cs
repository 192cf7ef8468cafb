using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Backends.Cpu;

/// <summary>The managed CPU backend: SIMD kernels over float buffers, no native code.</summary>
internal sealed partial class CpuBackend : IBackend
{
    public static readonly CpuBackend Instance = new();

    private CpuBackend() => VectorAccelerationWarning.WarnOnce();

    public string Name => "cpu";

    public void Unary(UnaryOp op, Tensor x, Tensor y, float alpha = 0f, float beta = 0f) => UnaryRange(op, x.AsSpan(), y.AsSpan(), alpha, beta);

    /// <summary>A unary op over spans (<see cref="Unary"/>; a range of rows of <see cref="BiasActivation"/>).</summary>
    internal static void UnaryRange(UnaryOp op, ReadOnlySpan<float> s, Span<float> d, float alpha, float beta)
    {
        switch (op)
        {
            case UnaryOp.Neg: SimdDriver.Unary(new NegOp(), s, d); break;
            case UnaryOp.Exp: SimdDriver.Unary(new ExpOp(), s, d); break;
            case UnaryOp.Log: SimdDriver.Unary(new LogOp(), s, d); break;
            case UnaryOp.Sqrt: SimdDriver.Unary(new SqrtOp(), s, d); break;
            case UnaryOp.Abs: SimdDriver.Unary(new AbsOp(), s, d); break;
            case UnaryOp.Square: SimdDriver.Unary(new SquareOp(), s, d); break;
            case UnaryOp.Reciprocal: SimdDriver.Unary(new ReciprocalOp(), s, d); break;
            case UnaryOp.Relu: SimdDriver.Unary(new ReluOp(), s, d); break;
            case UnaryOp.Relu6: SimdDriver.Unary(new Relu6Op(), s, d); break;
            case UnaryOp.LeakyRelu: SimdDriver.Unary(new LeakyReluOp(alpha), s, d); break;
            case UnaryOp.Elu: SimdDriver.Unary(new EluOp(alpha), s, d); break;
            case UnaryOp.Selu: SimdDriver.Unary(new SeluOp(), s, d); break;
            case UnaryOp.Gelu: SimdDriver.Unary(new GeluOp(), s, d); break;
            case UnaryOp.GeluTanh: SimdDriver.Unary(new GeluTanhOp(), s, d); break;
            case UnaryOp.Sigmoid: SimdDriver.Unary(new SigmoidOp(), s, d); break;
            case UnaryOp.HardSigmoid: SimdDriver.Unary(new HardSigmoidOp(), s, d); break;
            case UnaryOp.HardSigmoidKeras2: SimdDriver.Unary(new HardSigmoidKeras2Op(), s, d); break;
            case UnaryOp.Tanh: SimdDriver.Unary(new TanhOp(), s, d); break;
            case UnaryOp.Softplus: SimdDriver.Unary(new SoftplusOp(), s, d); break;
            case UnaryOp.Softsign: SimdDriver.Unary(new SoftsignOp(), s, d); break;
            case UnaryOp.Silu: SimdDriver.Unary(new SiluOp(), s, d); break;
            case UnaryOp.Mish: SimdDriver.Unary(new MishOp(), s, d); break;
            case UnaryOp.Heaviside: SimdDriver.Unary(new HeavisideOp(), s, d); break;
            case UnaryOp.Sign: SimdDriver.Unary(new SignOp(), s, d); break;
            case UnaryOp.Clip: SimdDriver.Unary(new ClipOp(alpha, beta), s, d); break;
            case UnaryOp.AddScalar: SimdDriver.Unary(new AddScalarOp(alpha), s, d); break;
            case UnaryOp.MulScalar: SimdDriver.Unary(new MulScalarOp(alpha), s, d); break;
            case UnaryOp.PowScalar: SimdDriver.Unary(new PowScalarOp(alpha), s, d); break;
            default: throw new NotSupportedException($"Unary op {op} is not implemented by the CPU backend.");
        }
    }

    public void UnaryGrad(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx, float alpha = 0f, float beta = 0f)
    {
        int size = dx.Size;
        if (size >= ElementwiseSplitMin && Settings.Threads >= 2 && x.Size == size && y.Size == size && dy.Size == size)
        {
            PartedLoop.RunBlocks(size, 16, new UnaryGradArgs(op, x, y, dy, dx, alpha, beta), static (a, b, s) =>
                UnaryGradRange(s.Op, s.X.Data.AsSpan(a, b - a), s.Y.Data.AsSpan(a, b - a), s.Dy.Data.AsSpan(a, b - a), s.Dx.Data.AsSpan(a, b - a), s.Alpha, s.Beta));
            dx.MarkWritten();
            return;
        }
        UnaryGradRange(op, x.AsSpan(), y.AsSpan(), dy.AsSpan(), dx.AsSpan(), alpha, beta);
    }

    /// <summary><see cref="UnaryGrad"/>'s arguments for its parted loop: a named struct, not a tuple, so that the loop's job
    /// is precompiled (<see cref="PartedLoop.Run{TState}"/>).</summary>
    private readonly struct UnaryGradArgs(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx, float alpha, float beta)
    {
        public readonly UnaryOp Op = op;
        public readonly Tensor X = x, Y = y, Dy = dy, Dx = dx;
        public readonly float Alpha = alpha, Beta = beta;
    }

    /// <summary>
    /// From this many values (64 KB) on, an activation's gradient and a same-shape binary op are split between the
    /// threads in blocks of 16. Their inputs were usually just written by a product on both threads (a line the other
    /// core wrote is slow to fetch on a VM whose vCPUs sit far apart). Timed inside the training step, the two ways
    /// alternating call by call in one process (three processes each): W2's 64x256 ReLU gradient 6.6-7.2 -> 4.4-5.1 us
    /// (but 64x128, whose gradient came from a one-thread product, 2.2-2.5 -> 2.6-3.2 us, hence the threshold); W7's
    /// 64x256 Add 10.2-15.3 -> 3.9-6.0 us and Dropout's multiply 5.9-9.6 -> 4.2-7.0 us.
    /// </summary>
    internal const int ElementwiseSplitMin = 16384;

    /// <summary>The gradient of a unary op over spans (<see cref="UnaryGrad"/>).</summary>
    internal static void UnaryGradRange(UnaryOp op, ReadOnlySpan<float> xs, ReadOnlySpan<float> ys, ReadOnlySpan<float> g, Span<float> d, float alpha, float beta)
    {
        switch (op)
        {
            case UnaryOp.Neg: SimdDriver.UnaryGrad(new NegGradOp(), xs, ys, g, d); break;
            case UnaryOp.Exp: SimdDriver.UnaryGrad(new ExpGradOp(), xs, ys, g, d); break;
            case UnaryOp.Log: SimdDriver.UnaryGrad(new LogGradOp(), xs, ys, g, d); break;
            case UnaryOp.Sqrt: SimdDriver.UnaryGrad(new SqrtGradOp(), xs, ys, g, d); break;
            case UnaryOp.Abs: SimdDriver.UnaryGrad(new AbsGradOp(), xs, ys, g, d); break;
            case UnaryOp.Square: SimdDriver.UnaryGrad(new SquareGradOp(), xs, ys, g, d); break;
            case UnaryOp.Reciprocal: SimdDriver.UnaryGrad(new ReciprocalGradOp(), xs, ys, g, d); break;
            case UnaryOp.Relu: SimdDriver.UnaryGrad(new ReluGradOp(), xs, ys, g, d); break;
            case UnaryOp.Relu6: SimdDriver.UnaryGrad(new Relu6GradOp(), xs, ys, g, d); break;
            case UnaryOp.LeakyRelu: SimdDriver.UnaryGrad(new LeakyReluGradOp(alpha), xs, ys, g, d); break;
            case UnaryOp.Elu: SimdDriver.UnaryGrad(new EluGradOp(alpha), xs, ys, g, d); break;
            case UnaryOp.Selu: SimdDriver.UnaryGrad(new SeluGradOp(), xs, ys, g, d); break;
            case UnaryOp.Gelu: SimdDriver.UnaryGrad(new GeluGradOp(), xs, ys, g, d); break;
            case UnaryOp.GeluTanh: SimdDriver.UnaryGrad(new GeluTanhGradOp(), xs, ys, g, d); break;
            case UnaryOp.Sigmoid: SimdDriver.UnaryGrad(new SigmoidGradOp(), xs, ys, g, d); break;
            case UnaryOp.HardSigmoid: SimdDriver.UnaryGrad(new HardSigmoidGradOp(), xs, ys, g, d); break;
            case UnaryOp.HardSigmoidKeras2: SimdDriver.UnaryGrad(new HardSigmoidKeras2GradOp(), xs, ys, g, d); break;
            case UnaryOp.Tanh: SimdDriver.UnaryGrad(new TanhGradOp(), xs, ys, g, d); break;
            case UnaryOp.Softplus: SimdDriver.UnaryGrad(new SoftplusGradOp(), xs, ys, g, d); break;
            case UnaryOp.Softsign: SimdDriver.UnaryGrad(new SoftsignGradOp(), xs, ys, g, d); break;
            case UnaryOp.Silu: SimdDriver.UnaryGrad(new SiluGradOp(), xs, ys, g, d); break;
            case UnaryOp.Mish: SimdDriver.UnaryGrad(new MishGradOp(), xs, ys, g, d); break;
            case UnaryOp.Clip: SimdDriver.UnaryGrad(new ClipGradOp(alpha, beta), xs, ys, g, d); break;
            case UnaryOp.AddScalar: g.CopyTo(d); break;
            case UnaryOp.MulScalar: SimdDriver.UnaryGrad(new MulScalarGradOp(alpha), xs, ys, g, d); break;
            case UnaryOp.PowScalar: SimdDriver.UnaryGrad(new PowScalarGradOp(alpha), xs, ys, g, d); break;
            case UnaryOp.Heaviside or UnaryOp.Sign: d.Clear(); break;
            default: throw new NotSupportedException($"Gradient of unary op {op} is not implemented by the CPU backend.");
        }
    }

    public void GemmBatched(bool transA, bool transB, int m, int n, int k, float alpha, Tensor a, int strideA, Tensor b, int strideB,
        float beta, Tensor c, int strideC, int batch)
    {
        int lda = transA ? m : k, ldb = transB ? k : n;
        for (int i = 0; i < batch; i++)
            Gemm.Sgemm(transA, transB, m, n, k, alpha,
                a.Data.AsSpan(i * strideA, m * k), lda, b.Data.AsSpan(i * strideB, k * n), ldb, beta, c.Data.AsSpan(i * strideC, m * n), n);
    }
}
