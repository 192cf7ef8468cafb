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

    [Fact]
    public unsafe void Mapping_units_map_every_whole_page_and_keep_the_data()
    {
        if (!FreshPages.Enabled) return;
        const string thp = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (File.Exists(thp) && File.ReadAllText(thp).Contains("[always]")) return;
        // A new LOH array of 12 MB: fresh pages; a pattern written in its first and last 64 KB (those pages are mapped by
        // the writes, the rest not yet).
        var a = new float[3_000_000];
        for (int i = 0; i < 16_384; i++) { a[i] = i + 0.25f; a[^(i + 1)] = -i; }
        int unit = 0;
        while (FreshPages.MapUnit(a, unit)) unit++;
        long pages = a.Length * 4L / 4096;
        Assert.InRange(unit, pages - 2, pages);   // the whole pages inside the array, one unit each
        Assert.False(FreshPages.MapUnit(a, unit + 5));
        fixed (float* p = a)
        {
            long faults = FaultsWhileWriting((byte*)p + 65_536, a.Length * 4L - 2 * 65_536);
            Assert.True(faults < pages / 20, $"the mapped array took {faults} faults for {pages} pages");
        }
        for (int i = 0; i < 16_384; i++)
        {
            Assert.Equal(i + 0.25f, a[i]);
            Assert.Equal(-i, a[^(i + 1)]);
        }
    }

    [Fact]
    public unsafe void Arrays_given_to_MapSoon_are_mapped_by_a_worker_while_their_data_is_written()
    {
        if (!FreshPages.Enabled || Math.Min(Settings.Threads, Environment.ProcessorCount) < 2) return;
        var a = new float[4_000_000];   // 16 MB, ~3,900 pages: tens of milliseconds for the worker
        long before = PagesNotPresent(a);
        if (before < a.Length / 1024 / 2) return;   // memory the GC reused, already mapped: nothing to observe
        FreshPages.MapSoon(a);
        // The first 1 MB written meanwhile from this thread (the worker only populates and reads): every value must
        // survive. The other pages only the worker maps.
        for (int i = 0; i < 262_144; i += 97) a[i] = i;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        long missing;
        while ((missing = PagesNotPresent(a)) > 0 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.Equal(0, missing);
        for (int i = 0; i < a.Length; i++) Assert.Equal(i < 262_144 && i % 97 == 0 ? i : 0f, a[i]);
    }

    /// <summary>Whole pages of <paramref name="a"/> that /proc/self/pagemap does not show present.</summary>
    private static unsafe long PagesNotPresent(float[] a)
    {
        fixed (float* p = a)
        {
            long first = ((long)p + 4095) / 4096, last = ((long)p + a.Length * 4L) / 4096;
            using var map = File.OpenRead("/proc/self/pagemap");
            map.Position = first * 8;
            var entries = new byte[(last - first) * 8];
            map.ReadExactly(entries);
            long missing = 0;
            for (long i = 0; i < last - first; i++)
                if ((BitConverter.ToUInt64(entries, (int)(i * 8)) & (1UL << 63)) == 0) missing++;
            return missing;
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
