using System.Diagnostics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Notices when other programs keep the cores busy: a worker that was awake did not join a job within microseconds,
/// or a thread waited far longer for a partner than the work explains (the OS had descheduled it), or the machine has
/// more runnable threads than cores (<see cref="Crowded"/>). The pool's jobs are
/// counted in blocks of <see cref="BlockJobs"/>; when at least <see cref="LateInBlockToGoSolo"/> of a block's jobs had
/// a late partner, the pool runs jobs on the calling thread alone for a while (20 ms, doubling while it keeps happening,
/// up to 1 s), and tries its workers again after that: on a loaded machine one thread that never waits beats two that
/// wait for each other's time slices. A count per time window was not enough: measured on the 2-core VM (2026-12-01),
/// a quiet machine has a late partner in 3-5% of the jobs (GC, the JIT's background compiler, a vCPU's wake-up), in
/// bursts that met "3 within 50 ms" often enough to cost W1's prediction a third of its speed (141k against 200k/s
/// with solo mode off); beside a competing load on both cores 13-15% of the jobs are late.
/// </summary>
internal static class BusyMachine
{
    private static readonly long BaseTicks = Stopwatch.Frequency / 50, MaxTicks = Stopwatch.Frequency, ResetTicks = 2 * Stopwatch.Frequency;

    /// <summary>A wait for a partner longer than this (beyond what the work explains) means the partner was descheduled.</summary>
    internal static readonly long LateTicks = Stopwatch.Frequency / 3333; // 0.3 ms

    /// <summary>Jobs per block in which late partners are counted.</summary>
    internal const int BlockJobs = 256;

    /// <summary>Jobs with a late partner in one block that make the pool go solo (8%: between a quiet machine's 3-5% and a
    /// loaded one's 13-15%).</summary>
    internal const int LateInBlockToGoSolo = 20;

    /// <summary>How often, at most, a block's end looks at the machine's runnable threads (<see cref="Crowded"/>).</summary>
    private static readonly long CrowdCheckTicks = Stopwatch.Frequency / 50; // 20 ms

    /// <summary>Checks in a row that must find the cores oversubscribed before the pool goes solo.</summary>
    internal const int CrowdedChecksToGoSolo = 2;

    /// <summary>The machine's runnable threads and cores now, null where unknown (tests put a fake in).</summary>
    internal static Func<(int Running, int Cores)?> MachineLoad { get; set; } = ProcStat.Load;

    private static long _lastCrowdCheck;
    private static int _crowdedChecks;

    private static long _soloUntil, _lastSolo, _soloTicks = BaseTicks;
    private static int _jobsInBlock, _lateInBlock;
    private static volatile bool _lateThisJob;

    /// <summary>A solo period in which this process ran for less than this share of the wall time (its busy thread was
    /// descheduled for other programs) is followed by another at once, without trying the workers.</summary>
    internal const double BusyCpuShare = 0.85;

    /// <summary>The CPU time this process has used, in seconds (tests put a fake in).</summary>
    internal static Func<double> ProcessCpuSeconds { get; set; } = DefaultCpuSeconds;

    internal static double DefaultCpuSeconds() => Environment.CpuUsage.TotalTime.TotalSeconds;

    private static long _soloStart;
    private static double _soloCpuStart;
    private static int _checking;

    /// <summary>Whether jobs run on the calling thread alone for now.</summary>
    public static bool Solo
    {
        get
        {
            long until = Volatile.Read(ref _soloUntil);
            if (until == 0) return false;
            long now = Stopwatch.GetTimestamp();
            return now < until || Prolonged(now, until);
        }
    }

    /// <summary>
    /// At the end of a solo period: another one follows when the process had less than <see cref="BusyCpuShare"/> of
    /// the period's wall time on the CPU (one thread working alone gets all of it on a free core). Retrying the workers
    /// is what costs beside a competing load: until a block of jobs has shown enough late partners the step runs on two
    /// threads that wait for each other's time slices (W2 under `w2-threads --competing-load`: 41 solo periods in 20 s,
    /// 7% of the two-thread jobs late, 0.88-0.89x of one thread's speed). The share is taken up to this call: a program
    /// that waited on something else after the period stays solo for one more period (at most <see cref="MaxTicks"/>).
    /// </summary>
    private static bool Prolonged(long now, long until)
    {
        if (Interlocked.CompareExchange(ref _checking, 1, 0) != 0) return false;
        try
        {
            if (Volatile.Read(ref _soloUntil) != until) return now < Volatile.Read(ref _soloUntil);
            long start = Volatile.Read(ref _soloStart);
            double cpu = ProcessCpuSeconds();
            if (cpu - _soloCpuStart < BusyCpuShare * (now - start) / Stopwatch.Frequency)
            {
                long ticks = Math.Min(2 * Volatile.Read(ref _soloTicks), MaxTicks);
                BeginSolo(now, ticks, cpu);
                return true;
            }
            Volatile.Write(ref _soloUntil, 0);
            return false;
        }
        finally { Volatile.Write(ref _checking, 0); }
    }

    private static void BeginSolo(long now, long ticks, double cpu)
    {
        Volatile.Write(ref _soloTicks, ticks);
        Volatile.Write(ref _lastSolo, now);
        Volatile.Write(ref _soloStart, now);
        _soloCpuStart = cpu;
        Volatile.Write(ref _soloUntil, now + ticks);
    }

    /// <summary>Records a late partner inside the current job (a barrier that waited far longer than its spin).</summary>
    public static void NoteLate() => _lateThisJob = true;

    /// <summary>Records the end of a job on the pool (called under the pool's lock, with <paramref name="late"/> telling
    /// whether it had a late partner); goes solo when enough of the current block's jobs were late.</summary>
    public static void NoteJob(bool late)
    {
        if (late || _lateThisJob) _lateInBlock++;
        _lateThisJob = false;
        // Solo as soon as a block has its LateInBlockToGoSolo-th late job (the verdict its end would give, without
        // running the rest of it two-threaded beside the other program: under a competing load each retry of the
        // workers cost W2 about a third of its speed until the solo periods had grown).
        bool busy = _lateInBlock >= LateInBlockToGoSolo;
        if (++_jobsInBlock < BlockJobs && !busy) return;
        _jobsInBlock = 0;
        _lateInBlock = 0;
        if (!busy && !Crowded()) return;
        long now = Stopwatch.GetTimestamp();
        long ticks = now - Volatile.Read(ref _lastSolo) > ResetTicks ? BaseTicks : Math.Min(2 * Volatile.Read(ref _soloTicks), MaxTicks);
        BeginSolo(now, ticks, ProcessCpuSeconds());
    }

    /// <summary>
    /// Whether other programs' threads keep the cores busy, at a block's end (at most every 20 ms): more runnable threads
    /// on the machine than cores (the calling thread, the one counting, is one of them; an idle worker sleeps), and by at
    /// least a quarter of the cores on a machine with more than four, in <see cref="CrowdedChecksToGoSolo"/> checks in a
    /// row. Late partners alone missed a load that keeps every core busy:
    /// beside two spinning threads on the 2-vCPU VM (`w2-threads --competing-load`, 2026-12-04) 0.4% of W2's jobs had
    /// one, a worker that comes late being mostly one asleep when the job started (not counted: a woken vCPU is slow on a
    /// quiet VM too), and no solo period began; the default ran 0.83-1.06x of one thread's speed in five runs.
    /// </summary>
    private static bool Crowded()
    {
        long now = Stopwatch.GetTimestamp();
        if (now - _lastCrowdCheck < CrowdCheckTicks) return false;
        _lastCrowdCheck = now;
        _crowdedChecks = MachineLoad() is { } load && load.Running > load.Cores + load.Cores / 4 ? _crowdedChecks + 1 : 0;
        return _crowdedChecks >= CrowdedChecksToGoSolo;
    }

    /// <summary>Forgets what was noticed (tests).</summary>
    internal static void Reset()
    {
        Volatile.Write(ref _soloUntil, 0);
        Volatile.Write(ref _lastSolo, 0);
        Volatile.Write(ref _soloTicks, BaseTicks);
        _jobsInBlock = 0;
        _lateInBlock = 0;
        _lateThisJob = false;
        _lastCrowdCheck = 0;
        _crowdedChecks = 0;
    }
}
