namespace Dendrite.Backends;

/// <summary>The backend ops dispatch to (the managed CPU backend unless another is installed).</summary>
public static class Backend
{
    /// <summary>The active backend.</summary>
    public static IBackend Current { get; set; } = Cpu.CpuBackend.Instance;
}
