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
        var job = JobCache<LaneJob>.Rent();
        job.Set(lanes, body);
        try { WorkerPool.Run(job, lanes); }
        finally
        {
            job.Set(0, null);
            JobCache<LaneJob>.Return(job);
        }
    }

    /// <summary>Lanes over the pool's parts: part p runs lanes p, p + parts, ... (all of them when the pool runs it inline).</summary>
    private sealed class LaneJob : IParallelJob
    {
        private int _lanes;
        private Action<int>? _body;

        public void Set(int lanes, Action<int>? body) => (_lanes, _body) = (lanes, body);

        public void Execute(int part, int parts)
        {
            for (int lane = part; lane < _lanes; lane += parts) _body!(lane);
        }
    }
}
