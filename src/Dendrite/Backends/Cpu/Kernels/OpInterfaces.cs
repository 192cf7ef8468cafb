using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu.Kernels;

/// <summary>y = f(x), with scalar and vector paths that must agree.</summary>
internal interface IUnaryOp
{
    float Invoke(float x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>y = f(a, b).</summary>
internal interface IBinaryOp
{
    float Invoke(float a, float b);
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}

/// <summary>dx = f'(x, y) * dy for a unary op, given its input x, output y and the output gradient dy.</summary>
internal interface IUnaryGradOp
{
    float Invoke(float x, float y, float dy);
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> dy);
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> dy);
}
