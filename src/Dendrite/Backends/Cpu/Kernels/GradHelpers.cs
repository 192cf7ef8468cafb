using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu.Kernels;

internal readonly partial struct GeluTanhGradOp
{
    private const float K = 0.044715f;

    private static float GeluTanhDerivative(float x)
    {
        const float c = KernelConstants.Sqrt2OverPi;
        float t = MathF.Tanh(c * (x + K * x * x * x));
        return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * c * (1f + 3f * K * x * x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> GeluTanhDerivative(Vector512<float> x)
    {
        var c = Vector512.Create(KernelConstants.Sqrt2OverPi);
        var half = Vector512.Create(0.5f);
        var x2 = x * x;
        var t = VMath.Tanh(c * (x + Vector512.Create(K) * x2 * x));
        return half * (Vector512<float>.One + t) + half * x * (Vector512<float>.One - t * t) * c * (Vector512<float>.One + Vector512.Create(3f * K) * x2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> GeluTanhDerivative(Vector256<float> x)
    {
        var c = Vector256.Create(KernelConstants.Sqrt2OverPi);
        var half = Vector256.Create(0.5f);
        var x2 = x * x;
        var t = VMath.Tanh(c * (x + Vector256.Create(K) * x2 * x));
        return half * (Vector256<float>.One + t) + half * x * (Vector256<float>.One - t * t) * c * (Vector256<float>.One + Vector256.Create(3f * K) * x2);
    }
}

internal readonly partial struct MishGradOp
{
    private static float MishDerivative(float x)
    {
        float t = MathF.Tanh(VMath.Softplus(x));
        return t + x * VMath.Sigmoid(x) * (1f - t * t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> MishDerivative(Vector512<float> x)
    {
        var t = VMath.Tanh(VMath.Softplus(x));
        return t + x * VMath.Sigmoid(x) * (Vector512<float>.One - t * t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MishDerivative(Vector256<float> x)
    {
        var t = VMath.Tanh(VMath.Softplus(x));
        return t + x * VMath.Sigmoid(x) * (Vector256<float>.One - t * t);
    }
}
