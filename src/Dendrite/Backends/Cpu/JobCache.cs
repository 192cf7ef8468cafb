namespace Dendrite.Backends.Cpu;

/// <summary>
/// One spare job object of each type per thread, so that kernels run many times a step (GEMMs, gathers, optimizer
/// updates) allocate nothing. A nested use on the same thread while the spare is out simply gets a new object.
/// </summary>
internal static class JobCache<T> where T : class, IParallelJob, new()
{
    [ThreadStatic] private static T? _spare;

    /// <summary>The thread's spare job, or a new one.</summary>
    public static T Rent()
    {
        var job = _spare ?? new T();
        _spare = null;
        return job;
    }

    /// <summary>Gives a job back once <see cref="WorkerPool.Run"/> has returned (no part still uses it).</summary>
    public static void Return(T job) => _spare = job;
}
