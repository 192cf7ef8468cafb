using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Backends.Cpu.Recurrent;

/// <summary>
/// The recurrent layers' tanh: <c>TensorPrimitives.Tanh</c>'s formula (AMD AOCL-LibM's <c>vrs4_tanhf</c>, BSD-3-Clause,
/// as the runtime writes it) over <see cref="VMath.Exp(Vector512{float})"/>, bit for bit what it returns: with
/// z = e^(-2|x|) - 1, tanh|x| = -z / (z + 2), and the sign of x put back. The gates called <c>TensorPrimitives</c> until a
/// fresh process's jitting of its drivers showed on the first step; their results did not change. (The <c>tanh</c>
/// activation, <see cref="TanhOp"/>, is 1 - 2 / (e^(2|x|) + 1) and differs from this in the last bit for some inputs.)
/// </summary>
internal readonly struct GateTanhOp : IUnaryOp
{
    public float Invoke(float x) => MathF.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        var z = VMath.Exp(Vector256.Create(-2f) * Vector256.Abs(x)) - Vector256<float>.One;
        var sign = x.AsUInt32() & Vector256.Create(0x80000000u);
        return (sign ^ (-z / (z + Vector256.Create(2f))).AsUInt32()).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        var z = VMath.Exp(Vector512.Create(-2f) * Vector512.Abs(x)) - Vector512<float>.One;
        var sign = x.AsUInt32() & Vector512.Create(0x80000000u);
        return (sign ^ (-z / (z + Vector512.Create(2f))).AsUInt32()).AsSingle();
    }
}
