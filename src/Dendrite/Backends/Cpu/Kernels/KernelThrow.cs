using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Dendrite.Backends.Cpu.Kernels;

/// <summary>
/// The argument checks' throws of the hot kernels, out of line. An interpolated message in a kernel is compiled with it
/// (the string builder's calls, one generic instantiation per argument type), and per instantiation of a generic kernel:
/// when the kernels were left to the JIT, ~0.5-1 ms of a fresh process's first step per kernel (SpanMath.Add 1.2-2.0 ms
/// compiled with its message, 0.6-0.8 ms with this); where the JIT still compiles them (no ReadyToRun image, another
/// CPU), the same holds.
/// </summary>
internal static class KernelThrow
{
    /// <summary>Throws an <see cref="ArgumentException"/> with <paramref name="format"/> filled with the values
    /// ({0}, {1}, {2}; invariant culture).</summary>
    [DoesNotReturn]
    public static void Argument(string format, long a, long b = 0, long c = 0) =>
        throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, format, a, b, c));
}
