namespace Dendrite.Backends.Cpu;

/// <summary>Work that an idle pool worker does in small units between jobs (<see cref="BackgroundWork"/>).</summary>
internal interface IBackgroundWork
{
    /// <summary>Runs one unit (a few microseconds at most, so that a job posted meanwhile finds the worker within the
    /// pool's join window); false when no unit was left.</summary>
    bool RunUnit();
}

/// <summary>
/// One slot for work that idle pool workers take up between jobs (<see cref="WorkerPool"/>'s workers check it while
/// they spin for the next job, after <see cref="FreshPages"/>' mapping): a training step's gather of the next batch
/// (<c>Models.BatchAhead</c>). A worker that has gone to sleep is not woken for it; whoever posted it finishes what is
/// left. One piece of work at a time: a second poster is refused and does its work itself.
/// </summary>
internal static class BackgroundWork
{
    private static IBackgroundWork? _current;

    /// <summary>Offers <paramref name="work"/> to the idle workers; false when the slot holds another's.</summary>
    public static bool TryPost(IBackgroundWork work)
    {
        var held = Interlocked.CompareExchange(ref _current, work, null);
        return held is null || ReferenceEquals(held, work);
    }

    /// <summary>Takes <paramref name="work"/> out of the slot (nothing happens when it is not there). A worker may still be
    /// inside one of its units.</summary>
    public static void Withdraw(IBackgroundWork work) => Interlocked.CompareExchange(ref _current, null, work);

    /// <summary>A worker's turn: one unit of the posted work, if any (false: nothing to do).</summary>
    internal static bool RunUnit() => Volatile.Read(ref _current) is { } work && work.RunUnit();
}
