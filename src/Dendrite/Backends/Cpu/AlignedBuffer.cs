using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// A 64-byte-aligned native float buffer that grows to the largest length asked for and is kept for reuse (GEMM packing
/// panels, convolution patches); freed when the owner is collected.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private float* _p;
    private long _len;

    /// <summary>At least <paramref name="length"/> floats; the contents are not kept when it grows.</summary>
    public float* Get(long length)
    {
        if (_len < length)
        {
            NativeMemory.AlignedFree(_p);
            _p = (float*)NativeMemory.AlignedAlloc((nuint)(length * sizeof(float)), 64);
            _len = length;
            FreshPages.Populate(_p, length * sizeof(float));
        }
        return _p;
    }

    ~AlignedBuffer() => NativeMemory.AlignedFree(_p);
}
