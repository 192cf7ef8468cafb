using System.Diagnostics;

namespace Dendrite.Benchmarks;

/// <summary>Another process that keeps every core busy while the workloads run (a loaded, shared machine). It stops when
/// disposed, when its standard input closes (this process ended), or after 30 minutes, whichever comes first.</summary>
internal sealed class CompetingLoad : IDisposable
{
    private readonly Process _child;

    private CompetingLoad(Process child) => _child = child;

    public static CompetingLoad Start()
    {
        var psi = ChildProcess.Self("--burn");
        psi.RedirectStandardInput = true;
        var child = Process.Start(psi)!;
        Thread.Sleep(200);   // let its threads start
        return new CompetingLoad(child);
    }

    public void Dispose()
    {
        try
        {
            _child.StandardInput.Close();
            if (!_child.WaitForExit(5000)) _child.Kill();
        }
        finally { _child.Dispose(); }
    }

    /// <summary>The child's side: one busy thread per core until standard input ends.</summary>
    public static int Burn()
    {
        var stop = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        for (int i = 0; i < Environment.ProcessorCount; i++)
        {
            new Thread(() =>
            {
                double x = 1;
                while (!stop.IsCancellationRequested)
                    for (int j = 0; j < 100_000; j++) x = x * 1.0000001 + 1e-9;
                GC.KeepAlive(x);
            }) { IsBackground = true }.Start();
        }
        var reader = new Thread(() => { Console.In.ReadToEnd(); stop.Cancel(); }) { IsBackground = true };
        reader.Start();
        stop.Token.WaitHandle.WaitOne();
        return 0;
    }
}
