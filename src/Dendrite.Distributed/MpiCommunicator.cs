using Dendrite.Distributed.Mpi;

namespace Dendrite.Distributed;

/// <summary>
/// <see cref="ICommunicator"/> over Open MPI's MPI_COMM_WORLD: initialises MPI (once per process, as MPI requires),
/// finds this process's rank on its machine with MPI_Comm_split_type, and finalises MPI on <see cref="Dispose"/> or at
/// process exit. Collectives are blocking; large buffers go in pieces of at most 4 MB (Open MPI allocates a
/// message-sized scratch buffer per call, which made one 67 MB allreduce ~10x slower than its pieces).
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    private const int PieceBytes = 4 << 20;
    private static readonly object InstanceGate = new();
    private static MpiCommunicator? _instance;
    private readonly nint _world, _float, _double, _int, _sum;
    private bool _finalized;

    private MpiCommunicator()
    {
        OpenMpiLibrary.Load();
        (_world, _float, _double, _int, _sum, nint infoNull) = OpenMpiLibrary.Handles;
        Check(OpenMpiNative.Initialized(out int initialized), "MPI_Initialized");
        // MPI_THREAD_SERIALIZED lets a background thread reduce gradients during the backward pass (never two calls at once).
        if (initialized == 0) Check(OpenMpiNative.InitThread(0, 0, OpenMpiNative.ThreadSerialized, out _), "MPI_Init_thread");
        Check(OpenMpiNative.QueryThread(out int level), "MPI_Query_thread");
        CallsFromAnyThread = level >= OpenMpiNative.ThreadSerialized;
        Check(OpenMpiNative.CommRank(_world, out int rank), "MPI_Comm_rank");
        Check(OpenMpiNative.CommSize(_world, out int size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        Check(OpenMpiNative.CommSplitType(_world, OpenMpiNative.CommTypeShared, rank, infoNull, out nint local), "MPI_Comm_split_type");
        Check(OpenMpiNative.CommRank(local, out int localRank), "MPI_Comm_rank");
        Check(OpenMpiNative.CommSize(local, out int localSize), "MPI_Comm_size");
        Check(OpenMpiNative.CommFree(ref local), "MPI_Comm_free");
        LocalRank = localRank;
        LocalSize = localSize;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    /// <summary>The process's communicator over MPI_COMM_WORLD (MPI is initialised on the first call).</summary>
    public static MpiCommunicator World
    {
        get
        {
            lock (InstanceGate) return _instance ??= new MpiCommunicator();
        }
    }

    /// <inheritdoc/>
    public int Rank { get; }
    /// <inheritdoc/>
    public int Size { get; }
    /// <inheritdoc/>
    public int LocalRank { get; }
    /// <inheritdoc/>
    public int LocalSize { get; }
    /// <inheritdoc/>
    public bool CallsFromAnyThread { get; }

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> data)
    {
        fixed (float* p = data)
            for (int at = 0; at < data.Length; at += PieceBytes / sizeof(float))
            {
                int n = Math.Min(PieceBytes / sizeof(float), data.Length - at);
                Check(OpenMpiNative.Allreduce(OpenMpiNative.InPlace, p + at, n, _float, _sum, _world), "MPI_Allreduce");
            }
    }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> data)
    {
        fixed (double* p = data)
            for (int at = 0; at < data.Length; at += PieceBytes / sizeof(double))
            {
                int n = Math.Min(PieceBytes / sizeof(double), data.Length - at);
                Check(OpenMpiNative.Allreduce(OpenMpiNative.InPlace, p + at, n, _double, _sum, _world), "MPI_Allreduce");
            }
    }

    /// <inheritdoc/>
    public void Broadcast(Span<float> data, int root)
    {
        CheckRoot(root);
        fixed (float* p = data)
            for (int at = 0; at < data.Length; at += PieceBytes / sizeof(float))
                Check(OpenMpiNative.Bcast(p + at, Math.Min(PieceBytes / sizeof(float), data.Length - at), _float, root, _world), "MPI_Bcast");
    }

    /// <inheritdoc/>
    public void Broadcast(Span<int> data, int root)
    {
        CheckRoot(root);
        fixed (int* p = data)
            for (int at = 0; at < data.Length; at += PieceBytes / sizeof(int))
                Check(OpenMpiNative.Bcast(p + at, Math.Min(PieceBytes / sizeof(int), data.Length - at), _int, root, _world), "MPI_Bcast");
    }

    /// <inheritdoc/>
    public void Barrier() => Check(OpenMpiNative.Barrier(_world), "MPI_Barrier");

    /// <inheritdoc/>
    public void Abort(int errorCode)
    {
        OpenMpiNative.Abort(_world, errorCode);
        Environment.Exit(errorCode);   // MPI_Abort does not return; this is only a guard
    }

    /// <summary>Finalises MPI (once); the communicator cannot be used afterwards, nor can MPI be initialised again.</summary>
    public void Dispose()
    {
        lock (InstanceGate)
        {
            if (_finalized) return;
            _finalized = true;
            if (OpenMpiNative.Finalized(out int done) == OpenMpiNative.Success && done == 0) OpenMpiNative.Finalize();
        }
    }

    private void CheckRoot(int root)
    {
        if ((uint)root >= (uint)Size) throw new ArgumentOutOfRangeException(nameof(root), $"root must be a rank in [0, {Size}), got {root}.");
    }

    private static void Check(int code, string function)
    {
        if (code != OpenMpiNative.Success)
            throw new InvalidOperationException($"Dendrite.Distributed: {function} failed with MPI error code {code}.");
    }
}
