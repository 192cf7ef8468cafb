namespace Dendrite.Backends.Cpu.Kernels;

/// <summary>Constants shared by the generated kernels and their scalar helpers.</summary>
internal static class KernelConstants
{
    public const float SeluAlpha = 1.6732632423543772f, SeluScale = 1.0507009873554805f;
    public const float InvSqrt2 = 0.70710678118654752f, Sqrt2OverPi = 0.79788456080286536f;
    public const float InvSqrt2Pi = 0.39894228040143268f;
}
