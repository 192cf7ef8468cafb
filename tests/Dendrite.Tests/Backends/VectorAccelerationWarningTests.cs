using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Backends;

public class VectorAccelerationWarningTests
{
    [Fact]
    public void No_warning_with_256_bit_vectors_off_x64_or_when_silenced()
    {
        Assert.Null(VectorAccelerationWarning.Message(isX64: true, vector256Accelerated: true, nativeAot: true, cpuHasAvx2: true, silence: null));
        Assert.Null(VectorAccelerationWarning.Message(isX64: false, vector256Accelerated: false, nativeAot: true, cpuHasAvx2: false, silence: null));
        Assert.Null(VectorAccelerationWarning.Message(isX64: true, vector256Accelerated: false, nativeAot: true, cpuHasAvx2: true, silence: "1"));
    }

    [Fact]
    public void A_native_aot_program_without_avx2_on_an_avx2_cpu_is_told_the_property_to_set()
    {
        string? m = VectorAccelerationWarning.Message(isX64: true, vector256Accelerated: false, nativeAot: true, cpuHasAvx2: true, silence: null);
        Assert.NotNull(m);
        Assert.Contains("<IlcInstructionSet>x86-64-v3</IlcInstructionSet>", m);
        Assert.Contains("DendriteAotInstructionSet", m);
        Assert.Contains("DENDRITE_NO_SIMD_WARNING=1", m);
    }

    [Fact]
    public void A_cpu_without_avx2_is_named_as_the_cause()
    {
        string? m = VectorAccelerationWarning.Message(isX64: true, vector256Accelerated: false, nativeAot: false, cpuHasAvx2: false, silence: null);
        Assert.NotNull(m);
        Assert.Contains("does not report AVX2", m);
        Assert.DoesNotContain("IlcInstructionSet", m);
    }

    [Fact]
    public void The_warning_is_not_written_where_vectors_are_accelerated_and_at_most_once()
    {
        // On this (JIT, AVX2) machine the backend starts without a warning; a second call never writes one either.
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) Assert.False(VectorAccelerationWarning.WarnOnce());
        Assert.False(VectorAccelerationWarning.WarnOnce());
    }
}
