using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using Dendrite.Backends.Cpu.Kernels;
using Dendrite.Optimizers;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Compiles the hot kernels of a training step (GEMM micro-kernels and packing, the pool's jobs, bias + activation,
/// softmax/cross-entropy, reductions, the Adam update) on a background thread when the CPU backend starts, so the first
/// step finds most of them already compiled instead of running the JIT itself (~50 methods, fully optimised because
/// they carry <c>AggressiveOptimization</c>). Only compiles: no kernel runs, no lock of the training thread is held (a
/// method both threads want is compiled once, the second waits for it). A no-op without a JIT (Native AOT) and when
/// <c>DENDRITE_WARMUP=0</c>.
/// </summary>
internal static class KernelWarmup
{
    private const DynamicallyAccessedMemberTypes Methods =
        DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods;

    private static int _started;

    /// <summary>True when the warm-up applies: a JIT is present and <c>DENDRITE_WARMUP</c> is not <c>0</c>.</summary>
    public static bool Enabled =>
        RuntimeFeature.IsDynamicCodeCompiled && Environment.GetEnvironmentVariable("DENDRITE_WARMUP") != "0";

    /// <summary>Starts the background compilation once per process (when <see cref="Enabled"/>).</summary>
    public static void Start()
    {
        if (!Enabled || Interlocked.Exchange(ref _started, 1) != 0) return;
        var thread = new Thread(Run) { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = "Dendrite kernel warm-up" };
        thread.Start();
    }

    /// <summary>The methods compiled, in the order a training step first needs them. Internal for tests.</summary>
    internal static List<(RuntimeMethodHandle Method, RuntimeTypeHandle[]? Instantiation)> Plan()
    {
        var plan = new List<(RuntimeMethodHandle, RuntimeTypeHandle[]?)>();
        // The step's order: gather the batch, forward GEMMs with bias + activation, loss, backward, the update.
        CpuBackend.AddWarmup(plan);
        Gemm.AddWarmup(plan);
        WorkerPool.AddWarmup(plan);
        AddAggressive(plan, typeof(SimdDriver));
        AddGeneric(plan, typeof(SimdDriver), nameof(SimdDriver.UnaryGrad), typeof(ReluGradOp));
        AddGeneric(plan, typeof(SimdDriver), nameof(SimdDriver.Unary), typeof(ReluOp));
        AddGeneric(plan, typeof(SimdDriver), nameof(SimdDriver.Binary), typeof(AddOp));
        AddGeneric(plan, typeof(SimdDriver), nameof(SimdDriver.Binary), typeof(MulOp));
        FusedUpdates.AddWarmup(plan);
        return plan;
    }

    /// <summary>Adds every non-generic method of <paramref name="type"/> marked <c>AggressiveOptimization</c>.</summary>
    internal static void AddAggressive(List<(RuntimeMethodHandle, RuntimeTypeHandle[]?)> plan, [DynamicallyAccessedMembers(Methods)] Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var m in type.GetMethods(All))
            if (!m.ContainsGenericParameters && (m.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0)
                plan.Add((m.MethodHandle, null));
    }

    /// <summary>Adds the generic method <paramref name="name"/> of <paramref name="type"/> instantiated over <paramref name="op"/>.</summary>
    internal static void AddGeneric(List<(RuntimeMethodHandle, RuntimeTypeHandle[]?)> plan, [DynamicallyAccessedMembers(Methods)] Type type, string name, Type op)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var m in type.GetMethods(All))
            if (m.Name == name && m.IsGenericMethodDefinition && m.GetGenericArguments().Length == 1)
                plan.Add((m.MethodHandle, [op.TypeHandle]));
    }

    private static void Run()
    {
        try
        {
            foreach (var (method, instantiation) in Plan())
            {
                try { RuntimeHelpers.PrepareMethod(method, instantiation); }
                catch (ArgumentException) { } // an instantiation the method's constraints refuse: jitted at its first call instead
            }
        }
        catch (Exception)
        {
            // Best effort only: a failure here costs the first step its head start, never a result.
        }
    }
}
