using System.Diagnostics.CodeAnalysis;
using Dendrite.Training;

namespace Dendrite.Distributed;

/// <summary>
/// Data-parallel training, Horovod's way: start N copies of the program with <c>mpirun -np N</c> (or Slurm's
/// <c>srun</c>), call <see cref="Init"/> in each, and pass the result to <c>model.Fit(..., distributed: dp)</c>. Each rank
/// holds a full replica (rank 0's initial weights), takes its share of every global batch of <c>batchSize * Size</c>
/// samples, and gradients are averaged over the ranks before every update; only rank 0 prints and writes.
/// Without a launcher the program runs as rank 0 of 1, unchanged.
/// </summary>
public sealed class DataParallel : IDataParallel, IDisposable
{
    private static readonly string[] LauncherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"];
    private readonly ICommunicator _communicator;

    private readonly bool _overlap;

    /// <summary>
    /// Wraps a communicator (tests and other transports); most programs call <see cref="Init"/>. With
    /// <paramref name="overlapGradients"/> (and a communicator that allows it) gradients are reduced on a background
    /// thread while the backward pass goes on.
    /// </summary>
    public DataParallel(ICommunicator communicator, bool overlapGradients = true)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        _communicator = communicator;
        _overlap = overlapGradients;
    }

    /// <summary>
    /// Joins the job this process was launched into: over MPI when an MPI launcher started it (mpirun, srun), else as the
    /// only rank. Unless <c>DENDRITE_THREADS</c> is set, the cores are shared among the ranks on this machine, and an
    /// unhandled exception on any rank stops the whole job with a message that names the rank. With
    /// <paramref name="overlapGradients"/> (the default; <c>DENDRITE_OVERLAP=0</c> turns it off) each bucket of gradients
    /// is reduced on a background thread as soon as the backward pass has written it.
    /// </summary>
    public static DataParallel Init(bool overlapGradients = true)
    {
        if (Environment.GetEnvironmentVariable("DENDRITE_OVERLAP") == "0") overlapGradients = false;
        var dp = new DataParallel(LaunchedByMpi() ? MpiCommunicator.World : new SingleProcessCommunicator(), overlapGradients);
        if (dp.Size > 1)
        {
            if (Environment.GetEnvironmentVariable("DENDRITE_THREADS") is null)
                Settings.Threads = Math.Max(1, Environment.ProcessorCount / Math.Max(1, dp.LocalSize));
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
                dp.Abort($"Dendrite: rank {dp.Rank} of {dp.Size} failed: {(e.ExceptionObject as Exception)?.ToString() ?? e.ExceptionObject.ToString()}");
        }
        return dp;
    }

    /// <summary>True when one of the variables an MPI launcher (Open MPI's mpirun, PMIx, PMI, Slurm with MPI) sets is present.</summary>
    public static bool LaunchedByMpi() =>
        LauncherVariables.Any(v => Environment.GetEnvironmentVariable(v) is { Length: > 0 });

    /// <inheritdoc/>
    public int Rank => _communicator.Rank;
    /// <inheritdoc/>
    public int Size => _communicator.Size;
    /// <summary>This process's rank among the ranks on the same machine.</summary>
    public int LocalRank => _communicator.LocalRank;
    /// <summary>The number of ranks on this machine.</summary>
    public int LocalSize => _communicator.LocalSize;
    /// <inheritdoc/>
    public bool CollectivesFromAnyThread => _overlap && _communicator.CallsFromAnyThread;

    /// <summary>True on rank 0, the one that prints, writes checkpoints and plots.</summary>
    public bool IsRoot => Rank == 0;
    /// <summary>The transport underneath.</summary>
    public ICommunicator Communicator => _communicator;

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> data) => _communicator.AllReduceSum(data);
    /// <inheritdoc/>
    public void AllReduceSum(Span<double> data) => _communicator.AllReduceSum(data);
    /// <inheritdoc/>
    public void Broadcast(Span<float> data, int root = 0) => _communicator.Broadcast(data, root);
    /// <inheritdoc/>
    public void Broadcast(Span<int> data, int root = 0) => _communicator.Broadcast(data, root);
    /// <summary>Returns when every rank has reached it.</summary>
    public void Barrier() => _communicator.Barrier();

    /// <summary>The element-wise mean over the ranks, in place.</summary>
    public void AllReduceMean(Span<float> data)
    {
        _communicator.AllReduceSum(data);
        // SpanMath's precompiled driver (the same values as TensorPrimitives.Multiply, whose generic driver no
        // ReadyToRun image holds: it would be jitted in the first step).
        if (Size > 1) Backends.Cpu.Kernels.SpanMath.Multiply(data, 1f / Size, data);
    }

    /// <summary>The mean of one value over the ranks.</summary>
    public double AllReduceMean(double value)
    {
        Span<double> v = [value];
        _communicator.AllReduceSum(v);
        return v[0] / Size;
    }

    /// <inheritdoc/>
    [DoesNotReturn]
    public void Abort(string message, int errorCode = 1)
    {
        try
        {
            Console.Out.Flush();
            Console.Error.WriteLine(message);
            Console.Error.Flush();
        }
        finally
        {
            _communicator.Abort(errorCode);
        }
        Environment.Exit(errorCode);
    }

    /// <summary>Leaves the job (MPI_Finalize); call it once, at the end of the program.</summary>
    public void Dispose() => _communicator.Dispose();
}
