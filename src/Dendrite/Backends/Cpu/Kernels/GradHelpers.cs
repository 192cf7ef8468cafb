namespace Dendrite.Backends.Cpu.Kernels;

internal readonly partial struct GeluTanhGradOp
{
    private static float GeluTanhDerivative(float x)
    {
        const float c = KernelConstants.Sqrt2OverPi, k = 0.044715f;
        float t = MathF.Tanh(c * (x + k * x * x * x));
        return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * c * (1f + 3f * k * x * x);
    }
}

internal readonly partial struct MishGradOp
{
    private static float MishDerivative(float x)
    {
        float t = MathF.Tanh(VMath.Softplus(x));
        return t + x * VMath.Sigmoid(x) * (1f - t * t);
    }
}
