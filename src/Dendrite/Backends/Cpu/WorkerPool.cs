using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>A job split into numbered parts. Under <see cref="WorkerPool.Run"/> the parts are independent (any thread may
/// run any of them, one thread may run several one after another); under <see cref="WorkerPool.RunTogether"/> all parts
/// of one run execute concurrently and may wait for each other at barriers. A job run inline gets one part (parts == 1).</summary>
internal interface IParallelJob
{
    void Execute(int part, int parts);
}

/// <summary>
/// Persistent worker threads (one fewer than <see cref="Settings.Threads"/>) beside the calling thread. Built for a
/// machine shared with other programs: nobody waits long on a thread the OS has descheduled.
/// - Parts are claimed, not assigned: the caller runs part 0, then claims every part no worker has started yet, so a
///   worker that has not woken up costs nothing (<see cref="Run"/>).
/// - Jobs whose parts meet at barriers (<see cref="RunTogether"/>) run on the threads that join within a few
///   microseconds; the caller closes the join and the job is split among those (alone: one part, no barriers).
/// - Every wait spins briefly, then blocks (the caller waiting for workers, workers waiting for the next job after
///   <see cref="WorkerSpinTicks"/>, parts at <see cref="SpinBarrier"/>s), so a loaded machine gets the cores back.
/// Nested or concurrent calls run inline as one part, so kernels never oversubscribe the cores.
/// </summary>
internal static class WorkerPool
{
    /// <summary>How long an idle worker spins for the next job before it blocks: kernels of a training step follow each
    /// other within microseconds, while a spinning worker takes a core's share from the other programs.</summary>
    private static readonly long WorkerSpinTicks = Stopwatch.Frequency / 5000; // 0.2 ms

    /// <summary>The longest the caller spins for workers' parts before it blocks (see <see cref="WaitForWorkers"/>).</summary>
    private static readonly long CallerSpinMaxTicks = Stopwatch.Frequency / 4000; // 0.25 ms

    /// <summary>How long <see cref="RunTogether"/> waits for workers to join before it goes on with those that did.</summary>
    private static readonly long JoinTicks = Stopwatch.Frequency / 40000; // 25 us

    /// <summary>The same when a worker had to be woken from its sleep (the OS's wake-up latency; a job longer than the
    /// workers' spin would otherwise always find them asleep and run alone). A long job may wait longer
    /// (<see cref="RunTogether"/>'s joinTicks: <see cref="Gemm.JoinTicksFor"/>).</summary>
    private static readonly long WakeJoinTicks = Stopwatch.Frequency / 2000; // 0.5 ms

    private static readonly object Gate = new(), DoneLock = new();
    private static Worker[] _workers = [];
    private static IParallelJob? _job;
    // The claim word: generation (bits 32-63), parts on offer (16-31), next part to claim (0-15).
    private static long _claim;
    private static int _generation, _done, _finalParts, _callerWaiting;
    private static Exception? _error;
    [ThreadStatic] private static bool _busy;

    /// <summary>Runs independent parts 0..parts-1 (on the workers that come, the rest on the calling thread), or the
    /// whole job as one part when threads are not available (a nested call, another caller holding the pool); returns
    /// when all have finished and rethrows the first failure.</summary>
    public static void Run(IParallelJob job, int parts) => RunParts(job, parts, together: false);

    /// <summary>Runs parts that wait for each other: split among the calling thread and the workers that join within
    /// <see cref="JoinTicks"/> (<see cref="WakeJoinTicks"/> when one had to be woken), or within
    /// <paramref name="joinTicks"/> when that is longer (the job sees that count as its parts).</summary>
    public static void RunTogether(IParallelJob job, int parts, long joinTicks = 0) => RunParts(job, parts, together: true, joinTicks);

    /// <summary>The number of parts the last job on the pool was split into (tests).</summary>
    internal static int LastParts { get; private set; }

    private static void RunParts(IParallelJob job, int parts, bool together, long joinTicks = 0)
    {
        parts = Math.Min(Math.Min(parts, Environment.ProcessorCount), 0xFFFF);
        if (parts <= 1 || _busy || BusyMachine.Solo || !Monitor.TryEnter(Gate))
        {
            job.Execute(0, 1);
            return;
        }
        try
        {
            EnsureWorkers(parts - 1);
            _job = job;
            _error = null;
            _done = 0;
            _finalParts = together ? 0 : parts;
            int gen = unchecked(_generation + 1);
            // The claim word first: a worker that sees the new generation finds its parts on offer.
            Interlocked.Exchange(ref _claim, (long)gen << 32 | (long)parts << 16 | 1);
            Volatile.Write(ref _generation, gen);
            long start = Stopwatch.GetTimestamp();
            bool awake = true;   // every worker was spinning, none asleep: a slow one was descheduled
            for (int w = 0; w < parts - 1; w++) awake &= !_workers[w].Wake();
            _busy = true;
            int mine = 1;
            bool late = false;
            try
            {
                if (together)
                {
                    int offered = parts;
                    parts = CloseJoin(gen, parts, Math.Max(awake ? JoinTicks : WakeJoinTicks, joinTicks));
                    late = parts < offered;
                    Volatile.Write(ref _finalParts, parts);
                    job.Execute(0, parts);
                }
                else
                {
                    job.Execute(0, parts);
                    // Counted when claimed: a part that throws is still off the list to wait for.
                    for (int p; (p = TryClaim(gen)) >= 0;)
                    {
                        mine++;
                        job.Execute(p, parts);
                    }
                }
            }
            finally
            {
                _busy = false;
                // Closing the offer (a no-op unless the caller's part threw) leaves exactly the claimed parts to wait for.
                int claimed = Close(gen);
                if (Volatile.Read(ref _finalParts) == 0) Volatile.Write(ref _finalParts, claimed);
                LastParts = claimed;
                if (Interlocked.Add(ref _done, mine) < claimed) late |= WaitForWorkers(claimed, Stopwatch.GetTimestamp() - start, awake);
                BusyMachine.NoteJob(late);
                _job = null;
            }
            if (_error is { } e) throw new AggregateException("A parallel kernel part failed.", e);
        }
        finally { Monitor.Exit(Gate); }
    }

    // The helpers below and Worker are internal, not private: crossgen2 precompiles a private method only when code it
    // compiles calls it, and a caller it cannot precompile would leave them to the JIT (docs/ARCHITECTURE.md, "The first
    // call").

    /// <summary>Waits up to <paramref name="window"/> for all parts to be claimed, then closes the offer at the parts claimed so far.</summary>
    internal static int CloseJoin(int gen, int parts, long window)
    {
        long start = Stopwatch.GetTimestamp();
        while ((int)(Volatile.Read(ref _claim) & 0xFFFF) < parts && Stopwatch.GetTimestamp() - start < window) Thread.SpinWait(4);
        return Close(gen);
    }

    /// <summary>Withdraws the parts nobody has claimed; returns how many were claimed (part 0 included).</summary>
    internal static int Close(int gen)
    {
        while (true)
        {
            long s = Volatile.Read(ref _claim);
            long next = s & 0xFFFF;
            if (Interlocked.CompareExchange(ref _claim, (long)gen << 32 | next << 16 | next, s) == s) return (int)next;
        }
    }

    /// <summary>The next unclaimed part of generation <paramref name="gen"/>'s job, or -1.</summary>
    internal static int TryClaim(int gen)
    {
        while (true)
        {
            long s = Volatile.Read(ref _claim);
            int next = (int)(s & 0xFFFF);
            if ((int)(s >> 32) != gen || next >= (int)((s >> 16) & 0xFFFF)) return -1;
            if (Interlocked.CompareExchange(ref _claim, s + 1, s) == s) return next;
        }
    }

    /// <summary>The caller's wait for parts that workers started: a short spin, then a block until the last one signals.
    /// Returns true for a wait much longer than the caller's own share of the work (<paramref name="ownTicks"/>): a late partner.</summary>
    internal static bool WaitForWorkers(int parts, long ownTicks, bool awake)
    {
        long start = Stopwatch.GetTimestamp();
        // Parts as long as the caller's own are likely to end within a fraction of it: spinning that long saves the
        // wake-up of a blocked caller (tens of microseconds, more in a VM; a batch of W1 prediction is ~1 ms).
        long until = Math.Max(Spin.Deadline(), start + Math.Min(ownTicks / 4, CallerSpinMaxTicks));
        while (Stopwatch.GetTimestamp() < until)
        {
            if (Volatile.Read(ref _done) >= parts) return false;
            Thread.SpinWait(8);
        }
        lock (DoneLock)
        {
            Interlocked.Exchange(ref _callerWaiting, 1);
            while (Volatile.Read(ref _done) < parts) Monitor.Wait(DoneLock);
            _callerWaiting = 0;
        }
        return awake && Stopwatch.GetTimestamp() - start > BusyMachine.LateTicks + ownTicks / 4;
    }

    /// <summary>A worker's end of a part: counts it and wakes the caller if it went to sleep.</summary>
    internal static void PartDone()
    {
        Interlocked.Increment(ref _done);
        if (Volatile.Read(ref _callerWaiting) != 0)
            lock (DoneLock) Monitor.PulseAll(DoneLock);
    }

    /// <summary>Starts a worker if there is none yet and wakes a sleeping one: background work is waiting
    /// (<see cref="FreshPages.MapSoon"/>). Idle workers take it in small units between jobs, which come first. While
    /// another thread runs a job the workers exist and are busy; they find the work when they are done.</summary>
    internal static void WakeForBackground() => StartWorkers(wakeOne: true);

    /// <summary>
    /// Starts the worker threads that a job would use, if they are not running yet (<c>Model.Compile</c> calls it), so
    /// that the first <c>Fit</c> or <c>Predict</c> does not wait for them: creating a thread blocks its caller until the
    /// thread runs (0.75-1.4 ms here), and the thread reaches its loop ~0.5 ms after that. A fresh process's first
    /// parallel job paid both (W2: <c>Fit</c>'s check of its 31 MB of data took 2.8-3.8 ms, 0.7-1.0 ms with the worker
    /// already running). Does nothing with one thread, or while another thread holds the pool (its job starts them).
    /// With <paramref name="wakeOne"/> it also wakes the first worker if it sleeps (<see cref="WakeForBackground"/>).
    /// </summary>
    internal static void StartWorkers(bool wakeOne = false)
    {
        int workers = WorkerThreads;
        if (workers < 1 || (!wakeOne && _workers.Length >= workers) || !Monitor.TryEnter(Gate)) return;
        try
        {
            EnsureWorkers(workers);
            if (wakeOne) _workers[0].Wake();
        }
        finally { Monitor.Exit(Gate); }
    }

    /// <summary>The worker threads a job may use besides its caller: the threads setting, at most the cores, less one.</summary>
    internal static int WorkerThreads => Math.Min(Settings.Threads, Environment.ProcessorCount) - 1;

    internal static void EnsureWorkers(int count)
    {
        if (_workers.Length >= count) return;
        var workers = new Worker[count];
        Array.Copy(_workers, workers, _workers.Length);
        for (int w = _workers.Length; w < count; w++) workers[w] = new Worker(w + 1);
        _workers = workers;
    }

    internal sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private int _sleeping = 1, _seen;   // not started yet: as slow to come as a sleeping one

        public Worker(int index)
        {
            _seen = Volatile.Read(ref _generation);
            new Thread(Loop) { IsBackground = true, Name = $"Dendrite worker {index}" }.Start();
        }

        /// <summary>Called after the generation moved on: releases the worker if it went to sleep (and says so).</summary>
        public bool Wake()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) != 1) return false;
            _wake.Release();
            return true;
        }

        private void Loop()
        {
            _busy = true;
            while (true)
            {
                int gen = WaitForGeneration();
                int part = TryClaim(gen);
                if (part < 0) continue;
                // The job cannot finish (nor _job change) before this claimed part is counted done.
                var job = _job!;
                int parts;
                var spin = new Spin();
                while ((parts = Volatile.Read(ref _finalParts)) == 0) spin.Once();
                try
                {
                    do
                    {
                        try { job.Execute(part, parts); }
                        catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
                        finally { PartDone(); }
                    }
                    while ((part = TryClaim(gen)) >= 0);
                }
                catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            }
        }

        private float[]? _mapping;
        private int _mapUnit;

        /// <summary>One unit of <see cref="FreshPages.MapSoon"/>'s work (a page, ~7 us here), if any is waiting;
        /// false when there is none. The worker checks for a job between units.</summary>
        internal bool MapInBackground()
        {
            if (_mapping is null)
            {
                if (FreshPages.TakePending() is not { } next) return false;   // a volatile read when nothing waits
                _mapping = next;
                _mapUnit = 0;
            }
            if (!FreshPages.MapUnit(_mapping, _mapUnit++)) _mapping = null;
            return true;
        }

        private int WaitForGeneration()
        {
            long start = Stopwatch.GetTimestamp();
            while (true)
            {
                int g = Volatile.Read(ref _generation);
                if (g != _seen) { _seen = g; return g; }
                if (MapInBackground() || BackgroundWork.RunUnit()) { start = Stopwatch.GetTimestamp(); continue; }
                if (Stopwatch.GetTimestamp() - start < WorkerSpinTicks) { Thread.SpinWait(30); continue; }
                Volatile.Write(ref _sleeping, 1);
                g = Volatile.Read(ref _generation);
                if ((g != _seen || FreshPages.HasPending) && Interlocked.Exchange(ref _sleeping, 0) == 1)
                {
                    if (g != _seen) { _seen = g; return g; }
                    continue;   // background work came as it was going to sleep
                }
                _wake.Wait(); // woken by Wake(), or already released by a Wake() that raced with the check above
                start = Stopwatch.GetTimestamp();
            }
        }
    }
}
