using System.Numerics;
using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Backends.Cpu.Recurrent;

/// <summary>The fused gate kernels' activations (in place) and their derivatives from the activation's output.</summary>
internal static class GateMath
{
    /// <summary>x = act(x), each element the vector result whatever its position (the same bits as the
    /// <c>TensorPrimitives</c> calls this replaced, precompiled: see <see cref="GateTanhOp"/>).</summary>
    public static void Apply(RecurrentActivation act, Span<float> x)
    {
        switch (act)
        {
            case RecurrentActivation.Tanh: SimdDriver.UnaryPadded(new GateTanhOp(), x, x); break;
            case RecurrentActivation.Sigmoid: SimdDriver.UnaryPadded(new SigmoidOp(), x, x); break;
            case RecurrentActivation.Relu: SimdDriver.UnaryPadded(new ReluOp(), x, x); break;
            case RecurrentActivation.HardSigmoid: SimdDriver.UnaryPadded(new HardSigmoidOp(), x, x); break;
            case RecurrentActivation.HardSigmoidKeras2: SimdDriver.UnaryPadded(new HardSigmoidKeras2Op(), x, x); break;
        }
    }

    /// <summary>d *= act'(.) where y is the activation's output.</summary>
    public static void MulGrad(RecurrentActivation act, ReadOnlySpan<float> y, Span<float> d)
    {
        int i = 0, w = Vector<float>.Count;
        switch (act)
        {
            case RecurrentActivation.Tanh:
                for (; i <= d.Length - w; i += w)
                {
                    var v = new Vector<float>(y[i..]);
                    (new Vector<float>(d[i..]) * (Vector<float>.One - v * v)).CopyTo(d[i..]);
                }
                for (; i < d.Length; i++) d[i] *= 1f - y[i] * y[i];
                break;
            case RecurrentActivation.Sigmoid:
                for (; i <= d.Length - w; i += w)
                {
                    var v = new Vector<float>(y[i..]);
                    (new Vector<float>(d[i..]) * v * (Vector<float>.One - v)).CopyTo(d[i..]);
                }
                for (; i < d.Length; i++) d[i] *= y[i] * (1f - y[i]);
                break;
            case RecurrentActivation.Relu:
                for (; i < d.Length; i++) if (y[i] <= 0f) d[i] = 0f;
                break;
            case RecurrentActivation.HardSigmoid:
                for (; i < d.Length; i++) d[i] *= y[i] > 0f && y[i] < 1f ? 1f / 6f : 0f;
                break;
            case RecurrentActivation.HardSigmoidKeras2:
                for (; i < d.Length; i++) d[i] *= y[i] > 0f && y[i] < 1f ? 0.2f : 0f;
                break;
        }
    }
}
