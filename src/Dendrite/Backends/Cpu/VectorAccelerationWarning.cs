using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Once per process, on x64, a line on stderr when the CPU kernels run without Vector256 acceleration (scalar code, ~16x
/// slower training), saying why and how to fix it: a Native AOT program compiled for the ILCompiler's default instruction
/// sets, or a CPU without AVX2. <c>DENDRITE_NO_SIMD_WARNING=1</c> silences it.
/// </summary>
internal static class VectorAccelerationWarning
{
    private static int _shown;

    /// <summary>Writes the warning if it applies and has not been written yet; true when it was written now.</summary>
    public static bool WarnOnce()
    {
        // The usual case, decided when this is compiled: nothing to check (no CPUID, no environment read) and nothing to
        // compile beyond the return (the backend's creation is on every program's first training step).
        if (Vector256.IsHardwareAccelerated) return false;
        string? message = Message(
            RuntimeInformation.ProcessArchitecture == Architecture.X64,
            Vector256.IsHardwareAccelerated,
            !RuntimeFeature.IsDynamicCodeSupported,
            CpuHasAvx2(),
            Environment.GetEnvironmentVariable("DENDRITE_NO_SIMD_WARNING"));
        if (message is null || Interlocked.Exchange(ref _shown, 1) != 0) return false;
        Console.Error.WriteLine(message);
        return true;
    }

    /// <summary>The warning for this situation, or null when none is due.</summary>
    internal static string? Message(bool isX64, bool vector256Accelerated, bool nativeAot, bool cpuHasAvx2, string? silence)
    {
        if (!isX64 || vector256Accelerated || silence is "1" or "true") return null;
        if (nativeAot && cpuHasAvx2)
            return "Dendrite warning: this Native AOT program was compiled without AVX2, so the CPU kernels run without " +
                   "256-bit vectors (training is ~16x slower) although this CPU has them. Publish with " +
                   "<IlcInstructionSet>native</IlcInstructionSet> (what the Dendrite package sets unless " +
                   "<DendriteAotInstructionSet>none</DendriteAotInstructionSet> or your own IlcInstructionSet overrides it), or " +
                   "<IlcInstructionSet>x86-64-v3</IlcInstructionSet> for any AVX2 CPU. DENDRITE_NO_SIMD_WARNING=1 hides this line.";
        return "Dendrite warning: the CPU kernels run without 256-bit vectors (training is ~16x slower): " +
               (cpuHasAvx2
                   ? "AVX2 is disabled for this process (DOTNET_EnableAVX2=0 or a similar setting?). "
                   : "this CPU (or the virtual machine's CPU model) does not report AVX2. ") +
               "DENDRITE_NO_SIMD_WARNING=1 hides this line.";
    }

    /// <summary>Whether the processor reports AVX2 (CPUID leaf 7, EBX bit 5), whatever the program was compiled for.</summary>
    private static bool CpuHasAvx2()
    {
        if (!X86Base.IsSupported) return false;
        (int maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
        if (maxLeaf < 7) return false;
        (_, int ebx, _, _) = X86Base.CpuId(7, 0);
        return (ebx & (1 << 5)) != 0;
    }
}
