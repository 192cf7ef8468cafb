namespace Dendrite.Backends.Cpu;

/// <summary>
/// One spare job object of each type per thread, so that kernels run many times a step (GEMMs, gathers, optimizer
/// updates) allocate nothing. A nested use on the same thread while the spare is out simply gets a new object.
/// </summary>
/// <remarks>
/// Callers construct the job when there is no spare (<c>JobCache&lt;X&gt;.TakeSpare() ?? new X()</c>) rather than this
/// class: <c>new T()</c> in its shared generic code is a runtime lookup, so crossgen2 would never see the job type
/// constructed, and the JIT would compile its constructor, and for a job generic over a struct its <c>Execute</c>, on
/// the training thread at the first call (docs/ARCHITECTURE.md, "The first call"; <c>FirstCallTests</c>).
/// </remarks>
internal static class JobCache<T> where T : class, IParallelJob
{
    [ThreadStatic] private static T? _spare;

    /// <summary>The thread's spare job, or null (then the caller makes a new one).</summary>
    public static T? TakeSpare()
    {
        var job = _spare;
        _spare = null;
        return job;
    }

    /// <summary>Gives a job back once <see cref="WorkerPool.Run"/> has returned (no part still uses it).</summary>
    public static void Return(T job) => _spare = job;
}
