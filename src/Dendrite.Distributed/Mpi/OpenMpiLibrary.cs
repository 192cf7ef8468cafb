using System.Runtime.InteropServices;

namespace Dendrite.Distributed.Mpi;

/// <summary>
/// Loads Open MPI's library once (or the file <c>DENDRITE_MPI_LIBRARY</c> names), points the binding's imports at it,
/// and resolves the predefined handles. A missing library gets an error that says which package to install.
/// </summary>
internal static class OpenMpiLibrary
{
    private static readonly object Gate = new();
    private static nint _handle;

    /// <summary>MPI_COMM_WORLD, MPI_FLOAT, MPI_DOUBLE, MPI_INT, MPI_SUM and MPI_INFO_NULL.</summary>
    public static (nint CommWorld, nint Float, nint Double, nint Int, nint Sum, nint InfoNull) Handles { get; private set; }

    /// <summary>Loads the library (once) and resolves the handles; throws a clear error when it is not installed.</summary>
    public static void Load()
    {
        lock (Gate)
        {
            if (_handle != 0) return;
            string name = Environment.GetEnvironmentVariable("DENDRITE_MPI_LIBRARY") is { Length: > 0 } n ? n : OpenMpiNative.Library;
            if (!NativeLibrary.TryLoad(name, typeof(OpenMpiLibrary).Assembly, null, out nint handle))
                throw new DllNotFoundException(
                    $"Dendrite.Distributed: Open MPI's library '{name}' could not be loaded, so this process cannot join the MPI job. " +
                    "Install Open MPI: 'apt-get install openmpi-bin' on Debian/Ubuntu ('dnf install openmpi' on Fedora/RHEL, " +
                    "then 'module load mpi'), or set DENDRITE_MPI_LIBRARY to the path of libmpi.so.40.");
            NativeLibrary.SetDllImportResolver(typeof(OpenMpiLibrary).Assembly,
                (library, _, _) => library == OpenMpiNative.Library ? _handle : 0);
            Handles = (Export(handle, name, "ompi_mpi_comm_world"), Export(handle, name, "ompi_mpi_float"),
                Export(handle, name, "ompi_mpi_double"), Export(handle, name, "ompi_mpi_int"),
                Export(handle, name, "ompi_mpi_op_sum"), Export(handle, name, "ompi_mpi_info_null"));
            _handle = handle;
        }
    }

    private static nint Export(nint handle, string library, string symbol) =>
        NativeLibrary.TryGetExport(handle, symbol, out nint address) ? address
            : throw new EntryPointNotFoundException(
                $"Dendrite.Distributed: '{library}' has no symbol '{symbol}': it is not Open MPI (MPICH and others are not supported yet).");
}
