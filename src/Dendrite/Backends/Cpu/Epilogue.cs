using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// What a convolution's register tile does before its store: add a bias (per filter; none when null) and apply ReLU
/// or LeakyReLU, with the same operations as the separate bias + activation pass (<see cref="Kernels.ReluOp"/>,
/// <see cref="Kernels.LeakyReluOp"/>), so the results are the same to the bit. <see cref="At"/> moves it to a block of
/// filters.
/// </summary>
internal readonly unsafe struct Epilogue(float* bias, EpilogueActivation activation, float slope)
{
    private readonly float* _bias = bias;
    private readonly EpilogueActivation _activation = activation;
    private readonly float _slope = slope;

    /// <summary>Whether there is anything to do (default: a plain store).</summary>
    public bool Active => _bias is not null || _activation != EpilogueActivation.None;

    /// <summary>The same epilogue for the filters from <paramref name="filter"/> on.</summary>
    public Epilogue At(int filter) => new(_bias is null ? null : _bias + filter, _activation, _slope);

    /// <summary>The bias of the 16 filters from <paramref name="filter"/> (zeros without a bias).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Bias(int filter) => _bias is null ? Vector512<float>.Zero : Vector512.Load(_bias + filter);

    /// <summary>activation(v + bias); without a bias, activation(v).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Apply(Vector512<float> v, Vector512<float> bias)
    {
        if (_bias is not null) v += bias;
        return _activation switch
        {
            EpilogueActivation.Relu => Vector512.Max(v, Vector512<float>.Zero),
            EpilogueActivation.LeakyRelu => Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero), v, v * Vector512.Create(_slope)),
            _ => v,
        };
    }
}
