namespace Dendrite.Distributed;

/// <summary>
/// The transport under <see cref="DataParallel"/>: a group of processes and the few collectives data-parallel training
/// needs. <see cref="MpiCommunicator"/> implements it over Open MPI; MPICH or NCCL can follow behind the same interface.
/// Every rank calls the collectives in the same order with the same lengths.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank in the group.</summary>
    int Rank { get; }
    /// <summary>The number of processes in the group.</summary>
    int Size { get; }
    /// <summary>This process's rank among the group's processes on the same machine.</summary>
    int LocalRank { get; }
    /// <summary>The number of the group's processes on this machine.</summary>
    int LocalSize { get; }
    /// <summary>True when any thread may call the collectives, one call at a time (MPI_THREAD_SERIALIZED or better).</summary>
    bool CallsFromAnyThread { get; }
    /// <summary>In place: every rank's <paramref name="data"/> becomes the element-wise sum over the ranks.</summary>
    void AllReduceSum(Span<float> data);
    /// <summary>In place: every rank's <paramref name="data"/> becomes the element-wise sum over the ranks.</summary>
    void AllReduceSum(Span<double> data);
    /// <summary>Every rank's <paramref name="data"/> becomes rank <paramref name="root"/>'s.</summary>
    void Broadcast(Span<float> data, int root);
    /// <summary>Every rank's <paramref name="data"/> becomes rank <paramref name="root"/>'s.</summary>
    void Broadcast(Span<int> data, int root);
    /// <summary>Returns when every rank has called it.</summary>
    void Barrier();
    /// <summary>Ends every process of the group with <paramref name="errorCode"/>.</summary>
    void Abort(int errorCode);
}
