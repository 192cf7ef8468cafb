namespace Dendrite.Distributed;

/// <summary>A group of one process (a program started without mpirun): every collective leaves the data as it is.</summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <inheritdoc/>
    public int Rank => 0;
    /// <inheritdoc/>
    public int Size => 1;
    /// <inheritdoc/>
    public int LocalRank => 0;
    /// <inheritdoc/>
    public int LocalSize => 1;
    /// <inheritdoc/>
    public bool CallsFromAnyThread => true;
    /// <inheritdoc/>
    public void AllReduceSum(Span<float> data) { }
    /// <inheritdoc/>
    public void AllReduceSum(Span<double> data) { }
    /// <inheritdoc/>
    public void Broadcast(Span<float> data, int root) => CheckRoot(root);
    /// <inheritdoc/>
    public void Broadcast(Span<int> data, int root) => CheckRoot(root);
    /// <inheritdoc/>
    public void Barrier() { }
    /// <inheritdoc/>
    public void Abort(int errorCode) => Environment.Exit(errorCode);
    /// <inheritdoc/>
    public void Dispose() { }

    private static void CheckRoot(int root)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), $"A single process has only rank 0, got root {root}.");
    }
}
