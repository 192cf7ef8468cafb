using Dendrite;
using Dendrite.Layers;
using Dendrite.Models;

/// <summary>
/// "--compile-workers": prints how many of the CPU backend's worker threads ("Dendrite worker N", as Linux lists this
/// process's threads in /proc/self/task) run before and after a model's <c>Compile</c>, with no tensor op in between:
/// "before B after A threads T".
/// </summary>
internal static class CompileWorkersChild
{
    public static int Run()
    {
        var model = new Sequential([new Input(shape: [3]), new Dense(2)]);
        int before = Workers();
        model.Compile(optimizer: new Dendrite.Optimizers.Adam(), loss: "mse");
        // Compile starts them without waiting for them to run; a thread is listed once it exists.
        int after = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline && (after = Workers()) == 0;) Thread.Sleep(10);
        Console.Out.WriteLine($"before {before} after {after} threads {Math.Min(Settings.Threads, Environment.ProcessorCount)}");
        return 0;
    }

    private static int Workers()
    {
        int n = 0;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
            if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith("Dendrite worker", StringComparison.Ordinal)) n++;
        return n;
    }
}
