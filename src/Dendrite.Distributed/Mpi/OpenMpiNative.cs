using System.Runtime.InteropServices;

namespace Dendrite.Distributed.Mpi;

/// <summary>
/// The few MPI functions data-parallel training calls, bound to Open MPI's <c>libmpi.so.40</c> (Debian's openmpi-bin;
/// the plain <c>libmpi.so</c> exists only with the -dev package). Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT,
/// MPI_SUM, ...) are the addresses of exported objects, resolved by <see cref="OpenMpiLibrary"/>.
/// </summary>
internal static unsafe partial class OpenMpiNative
{
    public const string Library = "libmpi.so.40";

    /// <summary>MPI_IN_PLACE: the send buffer is the receive buffer.</summary>
    public static readonly void* InPlace = (void*)1;

    /// <summary>MPI_COMM_TYPE_SHARED in Open MPI's mpi.h (the first value of its split-type enum).</summary>
    public const int CommTypeShared = 0;

    public const int Success = 0;

    [LibraryImport(Library, EntryPoint = "MPI_Initialized")]
    public static partial int Initialized(out int flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalized")]
    public static partial int Finalized(out int flag);

    [LibraryImport(Library, EntryPoint = "MPI_Init")]
    public static partial int Init(nint argc, nint argv);

    /// <summary>MPI_THREAD_SERIALIZED: any thread may call MPI, one call at a time.</summary>
    public const int ThreadSerialized = 2;

    [LibraryImport(Library, EntryPoint = "MPI_Init_thread")]
    public static partial int InitThread(nint argc, nint argv, int required, out int provided);

    [LibraryImport(Library, EntryPoint = "MPI_Query_thread")]
    public static partial int QueryThread(out int provided);

    [LibraryImport(Library, EntryPoint = "MPI_Finalize")]
    public static partial int Finalize();

    [LibraryImport(Library, EntryPoint = "MPI_Comm_rank")]
    public static partial int CommRank(nint comm, out int rank);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_size")]
    public static partial int CommSize(nint comm, out int size);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_split_type")]
    public static partial int CommSplitType(nint comm, int splitType, int key, nint info, out nint newComm);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_free")]
    public static partial int CommFree(ref nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Allreduce")]
    public static partial int Allreduce(void* sendBuffer, void* receiveBuffer, int count, nint datatype, nint op, nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Bcast")]
    public static partial int Bcast(void* buffer, int count, nint datatype, int root, nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Barrier")]
    public static partial int Barrier(nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Abort")]
    public static partial int Abort(nint comm, int errorCode);
}
