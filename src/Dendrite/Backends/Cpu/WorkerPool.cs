using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>A job split into numbered parts. All parts of one run execute concurrently (parts may wait for each
/// other at barriers), except when the pool runs the job inline as a single part (parts == 1).</summary>
internal interface IParallelJob
{
    void Execute(int part, int parts);
}

/// <summary>
/// Persistent worker threads (one fewer than <see cref="Settings.Threads"/>); the calling thread runs part 0.
/// Workers spin briefly on a generation counter after a job (back-to-back kernels start without a wake-up),
/// then sleep. Nested or concurrent calls run inline as one part, so kernels never oversubscribe the cores.
/// </summary>
internal static class WorkerPool
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 2000; // 0.5 ms
    private static readonly object Gate = new();
    private static Worker[] _workers = [];
    private static IParallelJob? _job;
    private static int _remaining, _parts, _generation;
    private static Exception? _error;
    [ThreadStatic] private static bool _busy;

    /// <summary>Runs parts 0..parts-1 concurrently, or the whole job as one part when threads are not available
    /// (a nested call, another caller holding the pool); returns when all have finished and rethrows the first failure.</summary>
    public static void Run(IParallelJob job, int parts)
    {
        parts = Math.Min(parts, Environment.ProcessorCount);
        if (parts <= 1 || _busy || !Monitor.TryEnter(Gate))
        {
            job.Execute(0, 1);
            return;
        }
        try
        {
            EnsureWorkers(parts - 1);
            _job = job;
            _parts = parts;
            _error = null;
            Volatile.Write(ref _remaining, parts - 1);
            Interlocked.Increment(ref _generation);
            for (int w = 0; w < parts - 1; w++) _workers[w].Wake();
            _busy = true;
            try { job.Execute(0, parts); }
            finally { _busy = false; }
            var spin = new Spin();
            while (Volatile.Read(ref _remaining) > 0) spin.Once();
            _job = null;
            if (_error is { } e) throw new AggregateException("A parallel kernel part failed.", e);
        }
        finally { Monitor.Exit(Gate); }
    }

    private static void EnsureWorkers(int count)
    {
        if (_workers.Length >= count) return;
        var workers = new Worker[count];
        Array.Copy(_workers, workers, _workers.Length);
        for (int w = _workers.Length; w < count; w++) workers[w] = new Worker(w + 1);
        _workers = workers;
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private readonly int _index;
        private int _sleeping, _seen;

        public Worker(int index)
        {
            _index = index;
            _seen = Volatile.Read(ref _generation);
            new Thread(Loop) { IsBackground = true, Name = $"Dendrite worker {index}" }.Start();
        }

        /// <summary>Called after the generation moved on: releases the worker if it went to sleep.</summary>
        public void Wake()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) == 1) _wake.Release();
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void Loop()
        {
            _busy = true;
            while (true)
            {
                WaitForGeneration();
                if (_index < _parts)
                {
                    try { _job!.Execute(_index, _parts); }
                    catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
                    finally { Interlocked.Decrement(ref _remaining); }
                }
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void WaitForGeneration()
        {
            long start = Stopwatch.GetTimestamp();
            while (true)
            {
                int g = Volatile.Read(ref _generation);
                if (g != _seen) { _seen = g; return; }
                if (Stopwatch.GetTimestamp() - start < SpinTicks) { Thread.SpinWait(30); continue; }
                Volatile.Write(ref _sleeping, 1);
                g = Volatile.Read(ref _generation);
                if (g != _seen && Interlocked.Exchange(ref _sleeping, 0) == 1) { _seen = g; return; }
                _wake.Wait(); // woken by Wake(), or already released by a Wake() that raced with the check above
                start = Stopwatch.GetTimestamp();
            }
        }
    }
}
