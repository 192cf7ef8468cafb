using System.Numerics;
using System.Numerics.Tensors;

namespace Dendrite.Backends.Cpu.Recurrent;

/// <summary>The fused gate kernels' activations (in place) and their derivatives from the activation's output.</summary>
internal static class GateMath
{
    public static void Apply(RecurrentActivation act, Span<float> x)
    {
        switch (act)
        {
            case RecurrentActivation.Tanh: TensorPrimitives.Tanh(x, x); break;
            case RecurrentActivation.Sigmoid: TensorPrimitives.Sigmoid(x, x); break;
            case RecurrentActivation.Relu: TensorPrimitives.Max(x, 0f, x); break;
            case RecurrentActivation.HardSigmoid:
                TensorPrimitives.Multiply(x, 1f / 6f, x);
                TensorPrimitives.Add(x, 0.5f, x);
                TensorPrimitives.Max(x, 0f, x);
                TensorPrimitives.Min(x, 1f, x);
                break;
            case RecurrentActivation.HardSigmoidKeras2:
                TensorPrimitives.Multiply(x, 0.2f, x);
                TensorPrimitives.Add(x, 0.5f, x);
                TensorPrimitives.Max(x, 0f, x);
                TensorPrimitives.Min(x, 1f, x);
                break;
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
