// Starts an atomic write of the target, writes some bytes into the temporary file, prints "writing" and then waits
// inside the write: the test ends this process with a signal and checks what is left in the directory.
// With "--cancel-ctrl-c" first, the program handles Ctrl-C itself (as one that stops training gracefully does): the
// write then finishes once the signal has arrived, and the new file must be complete.
// With "--fit DIR" or "--fit-hold DIR" it trains instead, for the Ctrl-C tests of StopOnInterrupt (see FitChild); with
// "--compile-workers" it counts the worker threads a model's Compile starts (see CompileWorkersChild); with "--apart" it
// reports where a trained kernel's gradient and slots start (see ApartChild); with "--first-call-jit graph|cnn|rnn" it
// lists the Dendrite methods jitted while a model trains and predicts for the first time (see FirstCallJitChild).
using Dendrite.Data;

if (args.Length == 2 && args[0] is "--fit" or "--fit-hold") return FitChild.Run(args[1], hold: args[0] == "--fit-hold");
if (args is ["--compile-workers"]) return CompileWorkersChild.Run();
if (args is ["--apart"]) return ApartChild.Run();
if (args is ["--first-call-jit", var workload]) return FirstCallJitChild.Run(workload);

bool cancelCtrlC = args.Length == 2 && args[0] == "--cancel-ctrl-c";
if (args.Length != (cancelCtrlC ? 2 : 1))
{
    Console.Error.WriteLine("usage: Dendrite.Tests.WriterChild [--cancel-ctrl-c] <target file>");
    return 2;
}
using var interrupted = new ManualResetEventSlim();
if (cancelCtrlC)
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        interrupted.Set();
    };
AtomicFile.Write(args[^1], s =>
{
    s.Write("new"u8);
    s.Flush();
    Console.Out.WriteLine("writing");
    Console.Out.Flush();
    if (cancelCtrlC) interrupted.Wait();
    else Thread.Sleep(Timeout.Infinite);
});
Console.Out.WriteLine("written");
return 0;
