using System.Diagnostics.CodeAnalysis;

namespace Dendrite.Training;

/// <summary>
/// What <c>Model.Fit(..., distributed: dp)</c> needs from a data-parallel launcher: this process's rank among
/// <see cref="Size"/> replicas and the collective operations every rank calls in the same order. The side package
/// <c>Dendrite.Distributed</c> implements it over MPI (<c>DataParallel.Init()</c>); a single process is rank 0 of 1.
/// </summary>
public interface IDataParallel
{
    /// <summary>This process's rank, 0 ..  <see cref="Size"/> - 1; rank 0 prints, writes checkpoints and logs.</summary>
    int Rank { get; }

    /// <summary>The number of replicas (processes) training together.</summary>
    int Size { get; }

    /// <summary>
    /// True when the collectives may be called from any thread, one call at a time (MPI_THREAD_SERIALIZED): then
    /// <c>Fit</c> reduces gradients on a background thread while the backward pass goes on.
    /// </summary>
    bool CollectivesFromAnyThread => false;

    /// <summary>Replaces <paramref name="data"/> on every rank by its element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<float> data);

    /// <summary>Replaces <paramref name="data"/> on every rank by its element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<double> data);

    /// <summary>Copies <paramref name="data"/> of rank <paramref name="root"/> into every other rank's buffer.</summary>
    void Broadcast(Span<float> data, int root = 0);

    /// <summary>Copies <paramref name="data"/> of rank <paramref name="root"/> into every other rank's buffer.</summary>
    void Broadcast(Span<int> data, int root = 0);

    /// <summary>
    /// Stops the whole job (every rank) after printing <paramref name="message"/>: a rank that fails must not leave the
    /// others waiting in a collective forever.
    /// </summary>
    [DoesNotReturn]
    void Abort(string message, int errorCode = 1);
}
