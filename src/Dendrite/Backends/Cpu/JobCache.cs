namespace Dendrite.Backends.Cpu;

/// <summary>
/// One spare job object of each type per thread, so that kernels run many times a step (GEMMs, gathers, optimizer
/// updates) allocate nothing. A nested use on the same thread while the spare is out simply gets a new object.
/// </summary>
internal static class JobCache<T> where T : class, IParallelJob, new()
{
    [ThreadStatic] private static T? _spare;

    /// <summary>The thread's spare job, or a new one.</summary>
    public static T Rent() => TakeSpare() ?? new T();

    /// <summary>
    /// The thread's spare job, or null. A job type generic over a struct (a kernel, a state tuple) is constructed by its
    /// caller (<c>TakeSpare() ?? new Job&lt;TState&gt;()</c>), not by <see cref="Rent"/>: <c>new T()</c> in this class's
    /// shared code is a runtime lookup, so crossgen2 never sees the job type constructed and leaves its
    /// <c>Execute</c> to the JIT, compiled on the training thread at its first step (docs/ARCHITECTURE.md, "The first call").
    /// </summary>
    public static T? TakeSpare()
    {
        var job = _spare;
        _spare = null;
        return job;
    }

    /// <summary>Gives a job back once <see cref="WorkerPool.Run"/> has returned (no part still uses it).</summary>
    public static void Return(T job) => _spare = job;
}
