namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public int Lanes => Math.Min(Settings.Threads, Environment.ProcessorCount);

    public void RunLanes(int lanes, Action<int> body)
    {
        if (lanes <= 1)
        {
            if (lanes == 1) body(0);
            return;
        }
        var job = JobCache<LaneJob>.TakeSpare() ?? new LaneJob();
        job.Set(lanes, body);
        try { WorkerPool.Run(job, lanes); }
        finally
        {
            job.Set(0, null);
            JobCache<LaneJob>.Return(job);
        }
    }

    /// <summary>Lanes over the pool's parts: each part claims the next lane not yet taken until none is left (all of them
    /// when the pool runs it inline), so with more lanes than threads a descheduled worker holds up one lane, not a
    /// fixed share of them.</summary>
    private sealed class LaneJob : IParallelJob
    {
        private int _lanes, _next;
        private Action<int>? _body;

        public void Set(int lanes, Action<int>? body) => (_lanes, _body, _next) = (lanes, body, 0);

        public void Execute(int part, int parts)
        {
            for (int lane = Interlocked.Increment(ref _next) - 1; lane < _lanes; lane = Interlocked.Increment(ref _next) - 1) _body!(lane);
        }
    }
}
