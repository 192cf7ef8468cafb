using Dendrite.Backends.Cpu;

namespace Dendrite.Tests.Backends;

/// <summary>
/// The worker pool under contention: every part runs exactly once whoever claims it, callers on several threads and
/// nested calls neither deadlock nor lose parts, jobs whose parts meet at barriers get a consistent part count, a failing
/// part surfaces, and products come out bit-identical with one and two threads, also beside busy threads.
/// </summary>
public class WorkerPoolTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public void Every_part_runs_once_with_callers_on_several_threads_and_nested_calls()
    {
        const int callers = 4, runs = 300, parts = 8;
        var failures = new int[callers];
        var errors = OnThreads(callers, t =>
        {
            for (int r = 0; r < runs; r++)
            {
                var job = new CountingJob(parts, nested: r % 3 == 0);
                WorkerPool.Run(job, parts);
                if (!job.EachRanOnce()) failures[t]++;
            }
        });
        Assert.Empty(errors);
        Assert.Equal(new int[callers], failures);
    }

    [Fact]
    public void Parts_that_meet_at_barriers_all_run_together_and_agree_on_their_count()
    {
        var errors = OnThreads(3, _ =>
        {
            for (int r = 0; r < 200; r++)
            {
                var job = new BarrierJob();
                WorkerPool.RunTogether(job, 2);
                if (job.Parts is not (1 or 2) || job.Arrivals != job.Parts * BarrierJob.Rounds)
                    throw new InvalidOperationException($"parts {job.Parts}, arrivals {job.Arrivals}");
            }
        });
        Assert.Empty(errors);
    }

    [Fact]
    public void A_large_product_waits_longer_for_its_workers_and_the_longer_window_keeps_the_parts_consistent()
    {
        long f = System.Diagnostics.Stopwatch.Frequency;
        // W2's largest product (64x256x784): under the pool's own 25 us window, which it keeps.
        Assert.True(Gemm.JoinTicksFor(64L * 256 * 784) < f / 40_000);
        // 1024^3: ~1.1 ms; W4's 512x4096x4096: the 4 ms cap.
        Assert.InRange(Gemm.JoinTicksFor(1L << 30), f / 1000, f / 800);
        Assert.Equal(f / 250, Gemm.JoinTicksFor(512L * 4096 * 4096));
        Assert.Equal(f / 250, Gemm.JoinTicksFor(long.MaxValue));
        var errors = OnThreads(2, _ =>
        {
            for (int r = 0; r < 50; r++)
            {
                if (r % 10 == 0) Thread.Sleep(2);   // past the workers' spin: they are asleep and must be woken
                var job = new BarrierJob();
                WorkerPool.RunTogether(job, 2, joinTicks: f / 100);
                if (job.Parts is not (1 or 2) || job.Arrivals != job.Parts * BarrierJob.Rounds)
                    throw new InvalidOperationException($"parts {job.Parts}, arrivals {job.Arrivals}");
            }
        });
        Assert.Empty(errors);
    }

    [Fact]
    public void A_failing_part_surfaces_and_the_pool_keeps_working()
    {
        var ex = Assert.ThrowsAny<Exception>(() => WorkerPool.Run(new FailingJob(), 2));
        Assert.Contains("part", (ex.InnerException ?? ex).Message);
        var job = new CountingJob(4, nested: false);
        WorkerPool.Run(job, 4);
        Assert.True(job.EachRanOnce());
    }

    [Fact]
    public void On_a_busy_machine_jobs_run_on_the_calling_thread_for_a_while()
    {
        try
        {
            BusyMachine.Reset();
            for (int i = 0; i < BusyMachine.BlockJobs; i++) BusyMachine.NoteJob(late: i < BusyMachine.LateInBlockToGoSolo);
            Assert.True(BusyMachine.Solo);
            var job = new CountingJob(4, nested: false);
            WorkerPool.Run(job, 4);
            Assert.True(job.EachRanOnce());
            Assert.Equal(1, job.SplitInto);
        }
        finally { BusyMachine.Reset(); }
        Assert.False(BusyMachine.Solo);
    }

    [Fact]
    public void A_solo_period_in_which_the_process_got_little_cpu_is_followed_by_another()
    {
        double cpu = 0;
        WithFakes(() =>
        {
            for (int i = 0; i < BusyMachine.LateInBlockToGoSolo; i++) BusyMachine.NoteJob(late: true);
            Assert.True(BusyMachine.Solo);
            // Past the first 20 ms period, in which the (fake) process got no CPU at all: its thread was descheduled for
            // other programs, so the next period follows without trying the workers.
            Thread.Sleep(60);
            Assert.True(BusyMachine.Solo);
            // In the next (40 ms) period the process ran the whole time: a free core, so the workers are tried again.
            Volatile.Write(ref cpu, 10.0);
            Thread.Sleep(150);
            Assert.False(BusyMachine.Solo);
        }, cpu: () => Volatile.Read(ref cpu));
    }

    [Fact]
    public void A_quiet_machines_few_late_partners_do_not_make_jobs_run_alone()
    {
        try
        {
            BusyMachine.Reset();
            // A quiet machine's rate (3-5% of jobs late), in a burst: no solo at the block's end.
            for (int i = 0; i < BusyMachine.BlockJobs; i++) BusyMachine.NoteJob(late: i < BusyMachine.LateInBlockToGoSolo - 1);
            Assert.False(BusyMachine.Solo);
            // One more late job in a block is a busy machine's rate: solo at that job, not at the block's end.
            for (int i = 0; i < BusyMachine.LateInBlockToGoSolo - 1; i++) BusyMachine.NoteJob(late: true);
            Assert.False(BusyMachine.Solo);
            BusyMachine.NoteJob(late: true);
            Assert.True(BusyMachine.Solo);
        }
        finally { BusyMachine.Reset(); }
    }

    [Theory]
    [InlineData(3, 2, true)]      // the 2-vCPU VM beside a load on both cores: this thread and two others
    [InlineData(2, 2, false)]     // its own two threads
    [InlineData(10, 8, false)]    // over the cores, but by less than a quarter of them
    [InlineData(11, 8, true)]
    [InlineData(65, 64, false)]   // one more thread on a large machine
    public void Cores_oversubscribed_in_two_checks_in_a_row_make_jobs_run_alone(int running, int cores, bool solo) =>
        // Solo after the second block's check, not the first's: one crowded reading is not enough.
        WithFakes(() => Assert.Equal(solo ? 1 : -1, BlocksUntilSolo()), load: () => (running, cores));

    [Fact]
    public void An_unknown_load_never_makes_jobs_run_alone() =>
        WithFakes(() => Assert.Equal(-1, BlocksUntilSolo()), load: () => null);

    /// <summary>Three blocks of jobs without a late partner, 30 ms apart (more than the 20 ms between crowding checks:
    /// one at each block's end); returns the block after which the pool was first solo, or -1.</summary>
    private static int BlocksUntilSolo()
    {
        for (int block = 0; block < 3; block++)
        {
            if (block > 0) Thread.Sleep(30);
            for (int i = 0; i < BusyMachine.BlockJobs; i++) BusyMachine.NoteJob(late: false);
            if (BusyMachine.Solo) return block;
        }
        return -1;
    }

    /// <summary>Runs <paramref name="body"/> with what <see cref="BusyMachine"/> noticed forgotten and its readings of the
    /// process's CPU time and of the machine's load replaced where given; the real ones are back afterwards.</summary>
    private static void WithFakes(Action body, Func<double>? cpu = null, Func<(int Running, int Cores)?>? load = null)
    {
        try
        {
            BusyMachine.Reset();
            if (cpu is not null) BusyMachine.ProcessCpuSeconds = cpu;
            if (load is not null) BusyMachine.MachineLoad = load;
            body();
        }
        finally
        {
            BusyMachine.ProcessCpuSeconds = BusyMachine.DefaultCpuSeconds;
            BusyMachine.MachineLoad = ProcStat.Load;
            BusyMachine.Reset();
        }
    }

    [Fact]
    public void Proc_stat_gives_the_runnable_threads_and_the_cores()
    {
        var stat = """
            cpu  1431 0 2211 1193839 82 0 35 0 0 0
            cpu0 700 0 1100 596900 41 0 20 0 0 0
            cpu1 731 0 1111 596939 41 0 15 0 0 0
            intr 1061574 0 9 0 0 0
            ctxt 2089327
            btime 1764700000
            processes 30312
            procs_running 5
            procs_blocked 0
            softirq 874139 0 190226 3 67706 0 0 1 271420 0 344783
            """u8;
        Assert.Equal(5, ProcStat.Parse(stat));
        Assert.Equal(2, ProcStat.Cores(stat));
        Assert.Equal(-1, ProcStat.Parse("cpu0 1 2 3\nprocs_blocked 0\n"u8));
        Assert.Equal(-1, ProcStat.Parse("\nprocs_running \n"u8));
        Assert.Equal(0, ProcStat.Cores("cpu  1 2 3\ncpux 4\n"u8));
        if (OperatingSystem.IsLinux() && File.Exists("/proc/stat"))
        {
            var load = ProcStat.Load();
            Assert.NotNull(load);
            Assert.True(load.Value.Running >= 1, $"procs_running {load.Value.Running}: this thread runs");
            Assert.True(load.Value.Cores >= 1, $"{load.Value.Cores} cpuN lines");
        }
    }

    [Theory]
    [InlineData(64, 784, 256, false, false)]    // unpacked, rows or panels split
    [InlineData(784, 256, 64, true, false)]     // packed (A transposed): barrier job
    [InlineData(64, 256, 784, false, true)]     // packed (B transposed)
    [InlineData(256, 64, 128, true, false)]     // packed, split by rows of C (W2's second weight gradient)
    [InlineData(203, 100, 70, false, true)]     // packed, split by rows of C, a partial last tile
    [InlineData(300, 700, 900, false, false)]   // packed, several blocks
    public unsafe void Products_are_identical_with_one_and_two_threads_also_beside_busy_threads(int m, int k, int n, bool transA, bool transB)
    {
        var a = Tensor.RandomUniform([m * k], -1f, 1f, seed: 3).ToArray();
        var b = Tensor.RandomUniform([k * n], -1f, 1f, seed: 4).ToArray();
        int lda = transA ? m : k, ldb = transB ? k : n;
        var one = new float[m * n];
        Gemm.Sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, one, n, Gemm.KernelBits, 1);
        using var stop = new CancellationTokenSource();
        var busy = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            double x = 1;
            while (!stop.IsCancellationRequested) for (int j = 0; j < 10_000; j++) x = x * 1.0000001 + 1e-9;
            GC.KeepAlive(x);
        }) { IsBackground = true }).ToList();
        for (int round = 0; round < 2; round++)
        {
            if (round == 1) busy.ForEach(t => t.Start());
            for (int r = 0; r < 20; r++)
            {
                var two = new float[m * n];
                Gemm.Sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, two, n, Gemm.KernelBits, 2);
                Assert.Equal(one, two);
            }
        }
        stop.Cancel();
        busy.ForEach(t => t.Join());
    }

    [Fact]
    public void Compile_starts_the_worker_threads_before_any_job_needs_them()
    {
        if (!OperatingSystem.IsLinux()) return;   // the child counts its threads in /proc
        using var child = System.Diagnostics.Process.Start(Dendrite.Tests.TestKit.WriterChild.StartInfo("--compile-workers"))!;
        string output = child.StandardOutput.ReadToEnd();
        Assert.True(child.WaitForExit(60_000), "the child did not end");
        Assert.True(child.ExitCode == 0, output + child.StandardError.ReadToEnd());
        var counts = output.Split(' ', StringSplitOptions.RemoveEmptyEntries);   // "before B after A threads T"
        int before = int.Parse(counts[1]), after = int.Parse(counts[3]), threads = int.Parse(counts[5]);
        Assert.Equal(0, before);
        Assert.Equal(threads - 1, after);
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="count"/> threads at once; fails the test on a deadlock,
    /// returns what the threads threw.</summary>
    private static List<string> OnThreads(int count, Action<int> body)
    {
        var errors = new List<string>();
        var threads = Enumerable.Range(0, count).Select(t => new Thread(() =>
        {
            try { body(t); }
            catch (Exception e) { lock (errors) errors.Add(e.Message); }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        foreach (var t in threads) Assert.True(t.Join(Limit), "the pool deadlocked");
        return errors;
    }

    /// <summary>Counts the runs of each part; a nested job inside part 0 runs inline.</summary>
    private sealed class CountingJob(int parts, bool nested) : IParallelJob
    {
        private readonly int[] _runs = new int[parts];
        private int _splitInto = -1;

        public void Execute(int part, int count)
        {
            Interlocked.CompareExchange(ref _splitInto, count, -1);
            if (count != Volatile.Read(ref _splitInto)) Interlocked.Add(ref _runs[0], 1000);   // parts disagree on the split
            if (nested && part == 0)
            {
                var inner = new CountingJob(3, nested: false);
                WorkerPool.Run(inner, 3);
                if (!inner.EachRanOnce()) Interlocked.Add(ref _runs[0], 1000);
            }
            // Part p of count covers the items [p * n / count, (p + 1) * n / count).
            for (int i = part * _runs.Length / count; i < (part + 1) * _runs.Length / count; i++) Interlocked.Increment(ref _runs[i]);
        }

        public bool EachRanOnce() => _runs.All(r => r == 1);

        public int SplitInto => _splitInto;
    }

    /// <summary>Parts that pass a barrier several times: a part running alone while another waits would deadlock.</summary>
    private sealed class BarrierJob : IParallelJob
    {
        public const int Rounds = 5;
        private readonly SpinBarrier _barrier = new();
        public int Parts, Arrivals;

        public void Execute(int part, int parts)
        {
            Interlocked.Exchange(ref Parts, parts);
            int sense = 0;
            for (int r = 0; r < Rounds; r++)
            {
                Interlocked.Increment(ref Arrivals);
                _barrier.Wait(parts, ref sense);
            }
        }
    }

    private sealed class FailingJob : IParallelJob
    {
        public void Execute(int part, int parts)
        {
            if (part == parts - 1) throw new InvalidOperationException($"part {part} of {parts} failed");
        }
    }
}
