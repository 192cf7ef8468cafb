using System.Runtime.InteropServices;
using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Backends;

/// <summary>
/// New large buffers have their pages mapped up front (Linux): the contents stay what they were (zeros, or the data
/// already written), and writing a populated buffer takes no page faults where an unpopulated one of the same size
/// takes one per page.
/// </summary>
public class FreshPagesTests
{
    [Fact]
    public void New_arrays_are_zeros_or_the_right_length_and_populating_keeps_their_data()
    {
        var zeros = FreshPages.NewArray(300_000, clear: true);
        Assert.Equal(300_000, zeros.Length);
        Assert.True(zeros.AsSpan().IndexOfAnyExcept(0f) < 0, "a cleared new array must hold zeros");
        Assert.Equal(300_000, FreshPages.NewArray(300_000, clear: false).Length);

        var data = new float[200_003];
        for (int i = 0; i < data.Length; i++) data[i] = i * 0.5f - 7f;
        FreshPages.Populate(data);
        for (int i = 0; i < data.Length; i++) Assert.Equal(i * 0.5f - 7f, data[i]);

        Assert.Empty(FreshPages.NewArray(0, clear: true));
        Assert.Single(FreshPages.NewArray(1, clear: false));
    }

    [Fact]
    public unsafe void Writing_a_populated_buffer_takes_no_page_faults()
    {
        if (!FreshPages.Enabled) return;   // not Linux, or a kernel before 5.14: nothing is asked of it
        // With transparent huge pages always on, the plain buffer takes a fault per 2 MB, not per page: nothing to compare.
        const string thp = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (File.Exists(thp) && File.ReadAllText(thp).Contains("[always]")) return;
        // Above glibc's largest mmap threshold (32 MB, which it raises to the largest block freed so far), malloc maps
        // a fresh region for each: every page is new.
        const long bytes = 36L << 20;
        long pages = bytes / 4096;
        var populated = (byte*)NativeMemory.Alloc((nuint)bytes);
        var plain = (byte*)NativeMemory.Alloc((nuint)bytes);
        try
        {
            FreshPages.Populate(populated, bytes);
            long withPopulate = FaultsWhileWriting(populated, bytes), without = FaultsWhileWriting(plain, bytes);
            Assert.True(without > pages / 2, $"the control buffer took {without} faults for {pages} pages");
            Assert.True(withPopulate < pages / 20, $"the populated buffer took {withPopulate} faults for {pages} pages");
            for (long i = 0; i < bytes; i += 4096) Assert.Equal((byte)(i >> 12), populated[i]);
        }
        finally
        {
            NativeMemory.Free(populated);
            NativeMemory.Free(plain);
        }
    }

    private static unsafe long FaultsWhileWriting(byte* p, long bytes)
    {
        long before = MinorFaults();
        for (long i = 0; i < bytes; i += 4096) p[i] = (byte)(i >> 12);
        return MinorFaults() - before;
    }

    /// <summary>This thread's minor page faults so far (field 10 of its stat; other tests run beside this one, and their
    /// faults count in the process's total).</summary>
    private static long MinorFaults()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7]);
    }
}
