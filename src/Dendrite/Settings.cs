namespace Dendrite;

/// <summary>Process-wide engine settings.</summary>
public static class Settings
{
    private static int _threads = ReadThreadsFromEnvironment();

    /// <summary>Threads the CPU kernels may use; all cores by default, or <c>DENDRITE_THREADS</c>.</summary>
    public static int Threads
    {
        get => _threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _threads = value;
        }
    }

    private static int ReadThreadsFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("DENDRITE_THREADS"), out int t) && t > 0 ? t : Environment.ProcessorCount;
}
